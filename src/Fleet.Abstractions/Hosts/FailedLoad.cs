namespace Fleet.Abstractions.Hosts;

/// <summary>A live version this host should serve but could not load (checksum mismatch, a graph ONNX Runtime refuses), with the error.</summary>
[GenerateSerializer, Immutable, Alias("fleet.FailedLoad")]
public sealed record FailedLoad(
    [property: Id(0)] string Model,
    [property: Id(1)] string Version,
    [property: Id(2)] string? Error);
