namespace Fleet.Inference.Onnx;

/// <summary>Session settings (configuration section <c>Fleet:Inference</c>).</summary>
public sealed class InferenceOptions
{
    public const string SectionName = "Fleet:Inference";

    /// <summary>Auto (default): CUDA when it loads, else CPU. Cpu: never try CUDA. Cuda: refuse to load without it.</summary>
    public ExecutionProviderPreference ExecutionProvider { get; set; } = ExecutionProviderPreference.Auto;

    /// <summary>CUDA device ordinal (default 0).</summary>
    public int CudaDeviceId { get; set; }

    /// <summary>Intra-op threads per session (default 1: on small models more threads add p99 latency, see docs).</summary>
    public int IntraOpThreads { get; set; } = 1;
}
