namespace Fleet.Inference.Onnx;

/// <summary>Which execution provider a session should use.</summary>
public enum ExecutionProviderPreference
{
    /// <summary>CUDA when its libraries load, CPU otherwise (the reason is reported).</summary>
    Auto,

    /// <summary>CPU only.</summary>
    Cpu,

    /// <summary>CUDA or fail the load.</summary>
    Cuda,
}
