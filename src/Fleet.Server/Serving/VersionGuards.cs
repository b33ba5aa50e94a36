using Fleet.Abstractions.Contracts;
using Fleet.Guardrails;
using Fleet.Inference.Onnx;

namespace Fleet.Server.Serving;

/// <summary>
/// A loaded version's guards, built once from its contract. Without a contract only the always-on
/// output check runs: no NaN or Infinity in any float output.
/// </summary>
internal sealed record VersionGuards(VersionContract? Contract, InputGuard? Input, OutputGuard Output, string[] FeatureNames)
{
    public static VersionGuards Build(VersionContract? contract, IReadOnlyList<TensorSignature> outputs)
    {
        var input = contract?.Input is { } ic ? new InputGuard(ic) : null;
        var output = new OutputGuard(contract?.Output ?? new OutputContract([], "none"), outputs);
        var names = contract?.Input?.Features.Select(f => f.Name).ToArray() ?? [];
        return new VersionGuards(contract, input, output, names);
    }
}
