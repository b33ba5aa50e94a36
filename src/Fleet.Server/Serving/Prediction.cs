using Fleet.Inference.Tensors;

namespace Fleet.Server.Serving;

/// <summary>
/// The answer to one request: the outputs, which version produced them (the live one, the last-known-good,
/// or "default"), and what the guards saw. <see cref="Fallback"/> is set only when a fallback served it.
/// </summary>
internal sealed record Prediction(
    string Model,
    string Version,
    string Id,
    string Provider,
    Tensor[] Outputs,
    string? Fallback,
    int FlaggedViolations,
    IReadOnlyList<Guardrails.Violation> Violations,
    int[] OutlierRows);
