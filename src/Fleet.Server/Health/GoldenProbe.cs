using Fleet.Inference.Tensors;
using Fleet.Abstractions.Models;

namespace Fleet.Server.Health;

/// <summary>
/// What the prober runs for one version: the golden set's inputs as tensors and the outputs to compare, or, for a
/// version without a golden set, the first live request it answered (liveness only). <see cref="Inputs"/> is null when
/// there is nothing to run yet (<see cref="None"/>).
/// </summary>
internal sealed record GoldenProbe(GoldenSet? Set, Tensor[]? Inputs, string[]? Outputs)
{
    public static GoldenProbe None { get; } = new(null, null, null);

    public static GoldenProbe From(GoldenSet set) =>
        new(set, set.Inputs.Select(GoldenTensors.ToTensor).ToArray(), set.Expected.Select(e => e.Name).ToArray());
}
