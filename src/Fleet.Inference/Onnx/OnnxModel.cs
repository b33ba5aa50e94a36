using Fleet.Inference.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Fleet.Inference.Onnx;

/// <summary>
/// One loaded ONNX graph. <see cref="Run"/> is safe to call concurrently (ORT sessions are thread-safe);
/// inputs are passed as pinned managed arrays, outputs are copied out and the ORT values disposed.
/// </summary>
public sealed class OnnxModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly SessionOptions _options;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _outputNames;
    private readonly Dictionary<string, OutputPlan> _plans;
    private volatile bool _noPreallocation;

    internal OnnxModel(InferenceSession session, SessionOptions options, ExecutionProvider provider)
    {
        _session = session;
        _options = options;
        Provider = provider;
        Inputs = Describe(session.InputMetadata);
        Outputs = Describe(session.OutputMetadata);
        _outputNames = session.OutputNames.ToArray();
        _plans = OutputPlan.For(Inputs, Outputs);
    }

    public ExecutionProvider Provider { get; }

    /// <summary>The ORT session itself, for the benchmark's raw baseline.</summary>
    internal InferenceSession RawSession => _session;

    public IReadOnlyList<TensorSignature> Inputs { get; }

    public IReadOnlyList<TensorSignature> Outputs { get; }

    /// <summary>Runs the graph on validated inputs (names, types and shapes already checked by the caller).</summary>
    public Tensor[] Run(IReadOnlyList<Tensor> inputs, IReadOnlyList<string>? outputNames = null)
    {
        var names = new string[inputs.Count];
        var values = new OrtValue[inputs.Count];
        var created = 0;
        try
        {
            for (; created < inputs.Count; created++)
            {
                names[created] = inputs[created].Name;
                values[created] = inputs[created].ToOrtValue();
            }

            var requested = outputNames ?? _outputNames;
            var fastPathFailed = false;
            if (!_noPreallocation)
            {
                if (TryRunPreallocated(inputs, names, values, requested, out fastPathFailed) is { } preallocated)
                {
                    return preallocated;
                }
            }

            using var results = RunCore(names, values, requested);
            if (fastPathFailed)
            {
                // ORT-allocated outputs worked where pre-allocated ones failed: the graph's declared output
                // shapes do not hold, so this session stops pre-allocating. (Had both failed, the input was at fault.)
                _noPreallocation = true;
            }

            var outputs = new Tensor[requested.Count];
            var i = 0;
            foreach (var value in results)
            {
                outputs[i] = Tensor.FromOrtValue(requested[i], value);
                i++;
            }

            return outputs;
        }
        finally
        {
            for (var j = 0; j < created; j++)
            {
                values[j].Dispose();
            }
        }
    }

    /// <summary>
    /// Fast path: when every requested output's shape follows from the graph (fixed dims, or a dynamic dim
    /// that shares its symbolic name with an input dim, like "batch"), the outputs are allocated here and
    /// ORT writes into them: no output type/shape queries and no copy. Null when the plan does not apply.
    /// A graph whose declared output shapes turn out wrong disables the fast path for this session (see <see cref="Run"/>).
    /// </summary>
    private Tensor[]? TryRunPreallocated(IReadOnlyList<Tensor> inputs, string[] names, OrtValue[] values, IReadOnlyList<string> requested, out bool failed)
    {
        failed = false;
        var outputs = new Tensor[requested.Count];
        for (var o = 0; o < requested.Count; o++)
        {
            if (!_plans.TryGetValue(requested[o], out var plan) || plan.ResolveShape(inputs) is not { } shape)
            {
                return null;
            }

            outputs[o] = new Tensor(requested[o], plan.Type, shape, Tensor.Allocate(plan.Type, checked((int)Tensor.ElementCount(shape))));
        }

        var outputValues = new OrtValue[outputs.Length];
        var created = 0;
        try
        {
            for (; created < outputs.Length; created++)
            {
                outputValues[created] = outputs[created].ToOrtValue();
            }

            _session.Run(_runOptions, names, values, requested as IReadOnlyCollection<string> ?? [.. requested], outputValues);
            return outputs;
        }
        catch (OnnxRuntimeException)
        {
            failed = true;
            return null;
        }
        finally
        {
            for (var j = 0; j < created; j++)
            {
                outputValues[j].Dispose();
            }
        }
    }

    private IDisposableReadOnlyCollection<OrtValue> RunCore(string[] names, OrtValue[] values, IReadOnlyList<string> outputs)
    {
        try
        {
            return _session.Run(_runOptions, names, values, outputs);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InferenceException($"ONNX Runtime failed: {ex.Message.Split('\n', 2)[0].Trim()}", ex,
                // The C# API keeps the status code internal and writes it into the message: "[ErrorCode:InvalidArgument] ...".
                ex.Message.StartsWith("[ErrorCode:InvalidArgument]", StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// Runs once on zeros (dynamic dimensions set to 1) so the first real request does not pay for lazy
    /// initialisation. Returns the error when the graph refuses zeros; that is reported, not fatal.
    /// </summary>
    public string? WarmUp()
    {
        if (Inputs.Any(i => !i.IsSupported))
        {
            return "warm-up skipped: an input has a type Fleet cannot construct";
        }

        var inputs = Inputs.Select(spec =>
        {
            TensorDataTypes.TryParseProtocolName(spec.Datatype, out var type);
            var shape = spec.Shape.Select(d => d < 0 ? 1L : d).ToArray();
            return new Tensor(spec.Name, type, shape, Tensor.Allocate(type, checked((int)Tensor.ElementCount(shape))));
        }).ToArray();
        try
        {
            Run(inputs);
            return null;
        }
        catch (InferenceException ex)
        {
            return $"warm-up on zero inputs failed: {ex.Message}";
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
        _options.Dispose();
    }

    private static TensorSignature[] Describe(IReadOnlyDictionary<string, NodeMetadata> metadata) =>
        metadata.Select(kv =>
        {
            var meta = kv.Value;
            var type = meta.IsTensor ? TensorDataTypes.OnnxTypeName(meta.ElementDataType) : meta.OnnxValueType.ToString().ToUpperInvariant();
            var shape = meta.IsTensor ? meta.Dimensions.Select(d => (long)d).ToArray() : [];
            var names = meta.IsTensor ? meta.SymbolicDimensions.Select(s => s ?? string.Empty).ToArray() : [];
            return new TensorSignature(kv.Key, type, shape, names);
        }).ToArray();
}
