using Fleet.Inference.Tensors;

namespace Fleet.Server.Protocol;

/// <summary>A parsed, validated Open Inference Protocol request.</summary>
internal sealed record InferRequest(string? Id, Tensor[] Inputs, string[]? RequestedOutputs);
