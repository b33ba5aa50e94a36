namespace Fleet.Inference.Onnx;

/// <summary>The provider a session got and, when it is not the one preferred, why.</summary>
public sealed record ExecutionProvider(string Name, string? FallbackReason)
{
    public const string Cpu = "CPU";
    public const string Cuda = "CUDA";
}
