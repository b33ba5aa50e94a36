namespace Fleet.Inference.Artifacts;

public sealed class ArtifactTooLargeException(long maxBytes)
    : Exception($"artifact exceeds the limit of {maxBytes} bytes (Fleet:MaxArtifactBytes)")
{
    public long MaxBytes { get; } = maxBytes;
}
