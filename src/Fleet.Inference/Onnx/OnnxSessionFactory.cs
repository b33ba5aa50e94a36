using Microsoft.ML.OnnxRuntime;

namespace Fleet.Inference.Onnx;

/// <summary>
/// Opens ONNX Runtime sessions with Fleet's defaults: one intra-op thread with spinning off (p99 on small
/// models), full graph optimisation, and CUDA when it loads. A CUDA failure is remembered for the process
/// so every later session does not pay (and log) the failed library load again.
/// </summary>
public sealed class OnnxSessionFactory
{
    private readonly InferenceOptions _options;
    private string? _cudaUnavailableReason;

    public OnnxSessionFactory(InferenceOptions options)
    {
        _options = options;
        _ = OrtEnvironment.Instance;
    }

    /// <summary>The provider the next session would get, for host status before any model loads.</summary>
    public string PreferredProvider => _options.ExecutionProvider == ExecutionProviderPreference.Cpu || _cudaUnavailableReason is not null
        ? ExecutionProvider.Cpu
        : ExecutionProvider.Cuda;

    public string? CudaUnavailableReason => _cudaUnavailableReason;

    public OnnxModel Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new InferenceException($"model file '{path}' does not exist");
        }

        var (options, provider) = CreateOptions();
        try
        {
            InferenceSession session;
            try
            {
                session = new InferenceSession(path, options);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new InferenceException($"not a loadable ONNX model: {FirstLine(ex.Message)}", ex);
            }

            return new OnnxModel(session, options, provider);
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    private (SessionOptions Options, ExecutionProvider Provider) CreateOptions()
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = Math.Max(1, _options.IntraOpThreads),
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");

        if (_options.ExecutionProvider == ExecutionProviderPreference.Cpu)
        {
            return (options, new ExecutionProvider(ExecutionProvider.Cpu, null));
        }

        if (_cudaUnavailableReason is null)
        {
            try
            {
                options.AppendExecutionProvider_CUDA(_options.CudaDeviceId);
                return (options, new ExecutionProvider(ExecutionProvider.Cuda, null));
            }
            catch (OnnxRuntimeException ex)
            {
                _cudaUnavailableReason = $"CUDA execution provider did not load: {FirstLine(ex.Message)}";
            }
        }

        if (_options.ExecutionProvider == ExecutionProviderPreference.Cuda)
        {
            options.Dispose();
            throw new InferenceException($"Fleet:Inference:ExecutionProvider is Cuda but {_cudaUnavailableReason}");
        }

        return (options, new ExecutionProvider(ExecutionProvider.Cpu, _cudaUnavailableReason));
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] + "..." : line;
    }
}
