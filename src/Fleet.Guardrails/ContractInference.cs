using Fleet.Abstractions.Contracts;
using Fleet.Inference.Onnx;
using Fleet.Inference.Tensors;
using Fleet.Abstractions.Models;

namespace Fleet.Guardrails;

/// <summary>
/// Builds a version's contract from its graph signature and, optionally, a reference dataset (docs/contracts.md),
/// and checks user-supplied contracts against the signature.
/// </summary>
public static class ContractInference
{
    /// <summary>
    /// Reads a CSV reference: a header, then one row per line. Every column except <paramref name="labelColumn"/>
    /// is a numeric feature; empty, nan/NaN, NA (also N/A, null) mean missing.
    /// </summary>
    /// <exception cref="ContractException">The message names the line and column at fault, or the row or line-length limit passed.</exception>
    public static ReferenceData ReadCsv(TextReader csv, string? labelColumn, int maxRows = DefaultMaxReferenceRows) => ReferenceReader.ReadCsv(csv, labelColumn, maxRows);

    /// <summary>The default most data rows a reference may have (<c>Fleet:MaxReferenceRows</c>); every row is held in memory.</summary>
    public const int DefaultMaxReferenceRows = 100_000;

    /// <summary>The longest reference line, in characters (1 Mi): a file without line breaks is refused, never held whole.</summary>
    public const int MaxReferenceLineChars = ReferenceReader.MaxLineChars;

    /// <summary>
    /// Reads a JSON-lines reference: one object per line; the first object's keys are the columns, in order.
    /// A key absent from a later row, null, or a missing-value string means missing.
    /// </summary>
    /// <exception cref="ContractException">The message names the line and key at fault, or the row or line-length limit passed.</exception>
    public static ReferenceData ReadJsonLines(TextReader lines, string? labelColumn, int maxRows = DefaultMaxReferenceRows) => ReferenceReader.ReadJsonLines(lines, labelColumn, maxRows);

    /// <summary>
    /// Infers a contract. <see cref="VersionContract.Input"/> describes the first FP32/FP64 rank-2 input and is
    /// null without <paramref name="reference"/> (no per-feature rules are guessed from the signature alone).
    /// <paramref name="predict"/> runs the model on all reference rows; it is called once, only for regression and
    /// embedding models, whose output ranges come from the model's own predictions.
    /// </summary>
    /// <exception cref="ContractException">The reference does not fit the input (feature count).</exception>
    public static VersionContract Infer(
        ModelTask task,
        IReadOnlyList<TensorSignature> inputs,
        IReadOnlyList<TensorSignature> outputs,
        ReferenceData? reference,
        Func<ReferenceData, Tensor[]>? predict,
        ContractInferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(options);
        if (!double.IsFinite(options.RangeMargin) || options.RangeMargin < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RangeMargin, "RangeMargin must be a finite number >= 0");
        }

        if (options.MaxCategories < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxCategories, "MaxCategories must be >= 0 (0 turns category detection off)");
        }

        var source = reference is null
            ? "signature only (no reference data)"
            : $"reference ({reference.RowCount} rows, margin {Signatures.Format(options.RangeMargin)})";
        InputContract? input = null;
        if (reference is not null && Signatures.ContractInput(inputs) is { } signature)
        {
            input = new InputContract(signature.Name, FeatureInference.Infer(signature, reference, options), source);
        }

        return new VersionContract(input, OutputInference.Infer(task, outputs, reference, predict, options, source));
    }

    /// <summary>
    /// Checks a contract a user supplies against the graph: the input exists and is 2-D FP32/FP64, one feature per
    /// column in index order, min ≤ max, mad ≥ 0; every output rule names an output whose type suits its kind.
    /// </summary>
    /// <exception cref="ContractException">The message starts with the field path, e.g. <c>input.features[3].min</c>.</exception>
    public static void ValidateAgainstSignature(VersionContract contract, IReadOnlyList<TensorSignature> inputs, IReadOnlyList<TensorSignature> outputs)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (contract.Input is not null)
        {
            ContractValidation.ValidateInput(contract.Input, inputs);
        }

        if (contract.Output is null)
        {
            throw new ContractException("output: missing");
        }

        ContractValidation.ValidateOutput(contract.Output, outputs);
    }
}
