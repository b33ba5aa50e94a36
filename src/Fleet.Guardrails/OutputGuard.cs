using System.Globalization;
using System.Numerics;
using System.Text;
using Fleet.Abstractions.Contracts;
using Fleet.Inference.Onnx;
using Fleet.Inference.Tensors;

namespace Fleet.Guardrails;

/// <summary>
/// Checks a prediction's outputs: every FP32/FP64 output must be finite, and each output with a rule must satisfy
/// its kind (probabilities, labels, values, embedding norms). Built once per loaded version; <see cref="Check"/> is
/// thread-safe, O(elements), and allocates nothing when the outputs are fine.
/// </summary>
public sealed class OutputGuard
{
    /// <summary>How far a row of probabilities may sum from 1.</summary>
    public const double SumTolerance = 1e-3;

    /// <summary>Float rounding a probability may carry outside [0, 1] (softmax in FP32 can return 1.0000001).</summary>
    private const double RangeTolerance = 1e-6;

    private readonly OutputRule[] _rules;

    /// <exception cref="ContractException">A rule names an unknown output or does not suit its type.</exception>
    public OutputGuard(OutputContract contract, IReadOnlyList<TensorSignature> outputs)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(outputs);
        ContractValidation.ValidateOutput(contract, outputs);
        _rules = [.. contract.Outputs.Where(r => r.Kind != OutputKind.Any)];
    }

    /// <summary>Checks the outputs the model returned; outputs the client did not request are simply absent.</summary>
    public OutputCheck Check(IReadOnlyList<Tensor> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var log = default(ViolationLog);
        for (var i = 0; i < outputs.Count; i++)
        {
            var tensor = outputs[i];
            var rule = RuleFor(tensor.Name);
            switch (tensor.Data)
            {
                case float[] floats:
                    ScanFloat<float>(ref log, tensor, floats, rule);
                    break;
                case double[] doubles:
                    ScanFloat<double>(ref log, tensor, doubles, rule);
                    break;
                case long[] longs when rule?.Kind == OutputKind.Labels:
                    ScanLabels<long>(ref log, tensor, longs, rule);
                    break;
                case int[] ints when rule?.Kind == OutputKind.Labels:
                    ScanLabels<int>(ref log, tensor, ints, rule);
                    break;
                case Array other when rule?.Kind == OutputKind.Labels:
                    ScanOtherLabels(ref log, tensor, other, rule);
                    break;
            }
        }

        return log.Total == 0 ? OutputCheck.Passed : new OutputCheck(log.Listed(), log.Total, log.Counts(), Summarise(log));
    }

    private OutputRule? RuleFor(string name)
    {
        foreach (var rule in _rules)
        {
            if (string.Equals(rule.Output, name, StringComparison.Ordinal))
            {
                return rule;
            }
        }

        return null;
    }

    private static void ScanFloat<T>(ref ViolationLog log, Tensor tensor, ReadOnlySpan<T> data, OutputRule? rule)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (rows, width) = Layout(tensor);
        var kind = rule?.Kind ?? OutputKind.Any;
        var min = rule?.Min ?? double.NegativeInfinity;
        var max = rule?.Max ?? double.PositiveInfinity;
        var fp32 = typeof(T) == typeof(float);
        var checkSum = kind == OutputKind.Probabilities && tensor.Shape.Length == 2 && width >= 2;
        for (var r = 0; r < rows; r++)
        {
            var row = data.Slice(r * width, width);
            var finite = true;
            var sum = 0.0;
            for (var c = 0; c < width; c++)
            {
                var value = double.CreateTruncating(row[c]);
                if (!double.IsFinite(value))
                {
                    finite = false;
                    Add(ref log, tensor, r, c, value, Rules.NonFinite, rule, fp32);
                    continue;
                }

                switch (kind)
                {
                    case OutputKind.Probabilities:
                        sum += value;
                        if (value < -RangeTolerance || value > 1 + RangeTolerance)
                        {
                            Add(ref log, tensor, r, c, value, Rules.ProbabilityRange, rule, fp32);
                        }

                        break;
                    case OutputKind.Embedding:
                        sum += value * value;
                        break;
                    case OutputKind.Values when value < min || value > max:
                        Add(ref log, tensor, r, c, value, Rules.ValueRange, rule, fp32);
                        break;
                    case OutputKind.Labels:
                        CheckLabel(ref log, tensor, r, c, value, rule!);
                        break;
                }
            }

            // Row rules only on finite rows: a NaN row is already reported once per value.
            if (!finite)
            {
                continue;
            }

            if (checkSum && Math.Abs(sum - 1) > SumTolerance)
            {
                Add(ref log, tensor, r, -1, sum, Rules.ProbabilitySum, rule, fp32: false);
            }
            else if (kind == OutputKind.Embedding)
            {
                var norm = Math.Sqrt(sum);
                if (norm < min || norm > max)
                {
                    Add(ref log, tensor, r, -1, norm, Rules.EmbeddingNorm, rule, fp32: false);
                }
            }
        }
    }

    private static void ScanLabels<T>(ref ViolationLog log, Tensor tensor, ReadOnlySpan<T> data, OutputRule rule)
        where T : unmanaged, IBinaryInteger<T>
    {
        var (rows, width) = Layout(tensor);
        var classes = rule.ClassCount ?? int.MaxValue;
        for (var i = 0; i < rows * width; i++)
        {
            var value = long.CreateSaturating(data[i]);
            if (value < 0 || value >= classes)
            {
                CheckLabel(ref log, tensor, i / width, i % width, value, rule);
            }
        }
    }

    /// <summary>Labels in integer types other than INT64/INT32 (rare): boxed per element, off the common path.</summary>
    private static void ScanOtherLabels(ref ViolationLog log, Tensor tensor, Array data, OutputRule rule)
    {
        if (tensor.Type is TensorDataType.Bool)
        {
            return;
        }

        var (rows, width) = Layout(tensor);
        for (var i = 0; i < rows * width; i++)
        {
            CheckLabel(ref log, tensor, i / width, i % width, Convert.ToDouble(data.GetValue(i), CultureInfo.InvariantCulture), rule);
        }
    }

    private static void CheckLabel(ref ViolationLog log, Tensor tensor, int row, int column, double value, OutputRule rule)
    {
        if (value >= 0 && value == Math.Floor(value) && (rule.ClassCount is null || value < rule.ClassCount))
        {
            return;
        }

        Add(ref log, tensor, row, column, value, Rules.LabelRange, rule, fp32: false);
    }

    /// <summary>Records a violation; the detail text is built only for the listed ones.</summary>
    private static void Add(ref ViolationLog log, Tensor tensor, int row, int column, double value, string name, OutputRule? rule, bool fp32)
    {
        var listed = log.Listing ? new Violation(tensor.Name, row, column, null, value, name, Detail(name, value, rule, fp32)) : null;
        log.Add(tensor.Name, name, row, listed);
    }

    private static string Detail(string name, double value, OutputRule? rule, bool fp32)
    {
        var text = fp32 ? ((float)value).ToString(CultureInfo.InvariantCulture) : Signatures.Format(value);
        return name switch
        {
            Rules.NonFinite => $"value {text} is not finite",
            Rules.ProbabilityRange => $"probability {text} is outside [0, 1]",
            Rules.ProbabilitySum => $"row sums to {text}, not 1 (tolerance {Signatures.Format(SumTolerance)})",
            Rules.LabelRange when rule?.ClassCount is { } classes => $"label {text} is outside [0, {classes})",
            Rules.LabelRange => $"label {text} is not a class index >= 0",
            Rules.ValueRange => OutOfBounds("value", text, value, rule),
            _ => OutOfBounds("norm", text, value, rule),
        };
    }

    private static string OutOfBounds(string what, string text, double value, OutputRule? rule) =>
        rule?.Min is { } min && value < min
            ? $"{what} {text} is below min {Signatures.FormatBound(min)}"
            : $"{what} {text} is above max {Signatures.FormatBound(rule?.Max ?? double.PositiveInfinity)}";

    /// <summary>Rows = dim 0 (1 for a scalar); a row is everything after it.</summary>
    private static (int Rows, int Width) Layout(Tensor tensor)
    {
        var rows = Signatures.Rows(tensor);
        return rows == 0 || tensor.Length == 0 ? (0, 0) : (rows, tensor.Length / rows);
    }

    private string Summarise(ViolationLog log)
    {
        var text = new StringBuilder();
        string? current = null;
        foreach (var group in log.Groups)
        {
            text.Append(group.Source == current ? ", " : (current is null ? string.Empty : "; ") + $"output '{group.Source}': ");
            current = group.Source;
            text.Append(Phrase(group, RuleFor(group.Source))).Append($" (first at row {group.FirstRow})");
        }

        return text.ToString();
    }

    private static string Phrase(ViolationLog.Group group, OutputRule? rule)
    {
        var n = group.Count;
        var one = n == 1;
        return group.Rule switch
        {
            Rules.NonFinite => $"{n} non-finite {(one ? "value" : "values")}",
            Rules.ProbabilityRange => $"{n} {(one ? "probability" : "probabilities")} outside [0, 1]",
            Rules.ProbabilitySum => $"{n} {(one ? "row" : "rows")} not summing to 1",
            Rules.LabelRange when rule?.ClassCount is { } classes => $"{n} {(one ? "label" : "labels")} outside [0, {classes})",
            Rules.LabelRange => $"{n} {(one ? "label" : "labels")} that {(one ? "is not a class index" : "are not class indexes")}",
            Rules.ValueRange => $"{n} {(one ? "value" : "values")} outside {Bounds(rule)}",
            _ => $"{n} {(one ? "row" : "rows")} with norm outside {Bounds(rule)}",
        };
    }

    private static string Bounds(OutputRule? rule) =>
        $"[{(rule?.Min is { } min ? Signatures.Format(min) : "-inf")}, {(rule?.Max is { } max ? Signatures.Format(max) : "inf")}]";
}
