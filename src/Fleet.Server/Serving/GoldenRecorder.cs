using Fleet.Guardrails;
using Fleet.Inference;
using Fleet.Inference.Onnx;
using Fleet.Inference.Tensors;
using Fleet.Models;
using Fleet.Server.Health;

namespace Fleet.Server.Serving;

/// <summary>
/// Records a version's golden set when it is added, by running the uploaded graph: on the first rows of its
/// reference data whose outputs are all finite (a NaN answer is never a right one), or, without usable reference
/// data, on zero inputs (dynamic dimensions 1). The probes later check that every host still answers the same.
/// </summary>
internal static class GoldenRecorder
{
    /// <summary>Rows scanned for finite answers, as a multiple of the rows wanted.</summary>
    private const int ScanFactor = 4;

    public static GoldenSet? FromReference(OnnxModel session, ReferenceData reference, int rows, double tolerance, double relativeTolerance, DateTimeOffset now)
    {
        if (session.Inputs.Count != 1 || !session.Inputs[0].IsSupported || SupportedOutputs(session) is not { Length: > 0 } outputs)
        {
            return null;
        }

        var spec = session.Inputs[0];
        var scanned = Enumerable.Range(0, Math.Min(reference.RowCount, rows * ScanFactor)).ToArray();
        if (scanned.Length == 0)
        {
            return null;
        }

        var answers = session.Run([ReferencePredictor.Rows(spec, reference, scanned)], outputs);
        var finite = scanned.Where(r => RowIsFinite(answers, r, scanned.Length)).Take(rows).ToArray();
        if (finite.Length == 0)
        {
            return null;
        }

        var input = ReferencePredictor.Rows(spec, reference, finite);
        var expected = session.Run([input], outputs);
        var skipped = finite[^1] + 1 - finite.Length;
        var source = $"reference data: first {finite.Length} rows" + (skipped > 0 ? $" with finite outputs ({skipped} skipped)" : string.Empty);
        return new GoldenSet(source, tolerance, relativeTolerance, [GoldenTensors.From(input)], expected.Select(GoldenTensors.From).ToArray(), now);
    }

    /// <summary>Zeros for every input; null when an input cannot be built, the graph refuses zeros, or an answer is not finite.</summary>
    public static GoldenSet? FromZeros(OnnxModel session, double tolerance, double relativeTolerance, DateTimeOffset now)
    {
        if (session.Inputs.Any(i => !i.IsSupported) || SupportedOutputs(session) is not { Length: > 0 } outputs)
        {
            return null;
        }

        var inputs = session.Inputs.Select(spec =>
        {
            TensorDataTypes.TryParseProtocolName(spec.Datatype, out var type);
            var shape = spec.Shape.Select(d => d < 0 ? 1L : d).ToArray();
            return new Tensor(spec.Name, type, shape, Tensor.Allocate(type, checked((int)Tensor.ElementCount(shape))));
        }).ToArray();
        Tensor[] expected;
        try
        {
            expected = session.Run(inputs, outputs);
        }
        catch (InferenceException)
        {
            return null;
        }

        if (!expected.All(t => RowIsFinite([t], -1, 0)))
        {
            return null;
        }

        return new GoldenSet("zero inputs (no reference data)", tolerance, relativeTolerance,
            inputs.Select(GoldenTensors.From).ToArray(), expected.Select(GoldenTensors.From).ToArray(), now);
    }

    /// <summary>The outputs Fleet can carry (a string output cannot be compared as a tensor).</summary>
    public static string[] SupportedOutputs(OnnxModel session) => session.Outputs.Where(o => o.IsSupported).Select(o => o.Name).ToArray();

    /// <summary>Whether every float value of row <paramref name="row"/> is finite (row -1: the whole tensor).</summary>
    private static bool RowIsFinite(Tensor[] outputs, int row, int rowCount)
    {
        foreach (var output in outputs)
        {
            var perRow = row >= 0 && output.Shape.Length > 0 && output.Shape[0] == rowCount && rowCount > 0;
            var start = perRow ? row * (output.Length / rowCount) : 0;
            var length = perRow ? output.Length / rowCount : output.Length;
            switch (output.Data)
            {
                case float[] f when !AllFinite(f.AsSpan(start, length)):
                    return false;
                case double[] d when !AllFinite(d.AsSpan(start, length)):
                    return false;
            }
        }

        return true;
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (var v in values)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }
}
