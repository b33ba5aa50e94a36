using System.Globalization;
using System.Numerics;
using Fleet.Abstractions.Contracts;
using Fleet.Inference.Tensors;

namespace Fleet.Guardrails;

/// <summary>
/// Checks the contract's input tensor on every prediction: missing values, range, category set and a robust
/// per-row outlier score. Built once per loaded version; <see cref="Check"/> is thread-safe, O(rows × features),
/// and allocates nothing when the input is clean.
/// </summary>
public sealed class InputGuard
{
    /// <summary>MAD × 1.4826 estimates the standard deviation of normal data.</summary>
    private const double MadToSigma = 1.4826;

    private readonly string[] _names;
    private readonly double[] _fastMin;
    private readonly double[] _fastMax;
    private readonly double[] _min;
    private readonly double[] _max;
    private readonly bool[] _allowMissing;
    private readonly long[]?[] _categories;
    private readonly double[] _median;
    private readonly double[] _inverseScale;

    /// <exception cref="ContractException">The contract is malformed (see <see cref="ContractInference.ValidateAgainstSignature"/>).</exception>
    public InputGuard(InputContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ContractValidation.ValidateFeatures(contract);
        Input = contract.Input;
        var features = contract.Features;
        var n = features.Length;
        _names = new string[n];
        _fastMin = new double[n];
        _fastMax = new double[n];
        _min = new double[n];
        _max = new double[n];
        _allowMissing = new bool[n];
        _categories = new long[n][];
        _median = new double[n];
        _inverseScale = new double[n];
        for (var f = 0; f < n; f++)
        {
            var rule = features[f];
            _names[f] = rule.Name;
            _min[f] = rule.Min ?? double.NegativeInfinity;
            _max[f] = rule.Max ?? double.PositiveInfinity;
            _allowMissing[f] = rule.AllowMissing;
            _categories[f] = rule.Categories is { } codes ? [.. codes.Order()] : null;
            _median[f] = rule.Median;

            // NaN bounds send every value of a category feature to the slow path, which checks set membership.
            _fastMin[f] = _categories[f] is null ? _min[f] : double.NaN;
            _fastMax[f] = _categories[f] is null ? _max[f] : double.NaN;

            // Category codes are excluded from the outlier score (distance between codes means nothing).
            _inverseScale[f] = _categories[f] is null ? 1 / Scale(rule) : 0;
        }
    }

    /// <summary>The input name this guard checks.</summary>
    public string Input { get; }

    public int FeatureCount => _names.Length;

    /// <param name="input">The contract's input: FP32 or FP64, shape [rows, <see cref="FeatureCount"/>], row-major.</param>
    /// <exception cref="ArgumentException">The tensor is not that input (the caller validates shapes first).</exception>
    public InputCheck Check(Tensor input, InputModes modes)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(modes);
        if (input.Shape is not [var rows, var width] || width != _names.Length || rows * width != input.Length)
        {
            throw new ArgumentException($"input '{input.Name}' has shape [{string.Join(", ", input.Shape)}]; the contract expects [rows, {_names.Length}]", nameof(input));
        }

        return input.Data switch
        {
            float[] floats => Scan<float>(floats, (int)rows, modes, input.Name),
            double[] doubles => Scan<double>(doubles, (int)rows, modes, input.Name),
            _ => throw new ArgumentException($"input '{input.Name}' is {input.Type}; the contract covers FP32 and FP64 inputs", nameof(input)),
        };
    }

    /// <summary>Robust scale: 1.4826 × MAD; a sixth of the contract range when MAD is 0 (over half the reference
    /// had one value); 1 without a range.</summary>
    private static double Scale(FeatureRule rule)
    {
        if (rule.Mad > 0)
        {
            return MadToSigma * rule.Mad;
        }

        return rule.Min is { } min && rule.Max is { } max && max > min ? (max - min) / 6 : 1;
    }

    /// <summary>Writes into <paramref name="data"/> only to impute (<see cref="GuardMode.Impute"/>).</summary>
    private InputCheck Scan<T>(Span<T> data, int rows, InputModes modes, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var log = default(ViolationLog);
        var width = _names.Length;
        var threshold = modes.OutlierThreshold;
        var scoring = threshold > 0;
        var maxScore = 0.0;
        List<int>? outliers = null;
        var fastMin = _fastMin.AsSpan(0, width);
        var fastMax = _fastMax.AsSpan(0, width);
        var median = _median.AsSpan(0, width);
        var inverseScale = _inverseScale.AsSpan(0, width);
        for (var r = 0; r < rows; r++)
        {
            var row = data.Slice(r * width, width);
            var rowScore = 0.0;
            for (var f = 0; f < width; f++)
            {
                var value = double.CreateTruncating(row[f]);
                if (!(value >= fastMin[f] && value <= fastMax[f]))
                {
                    if (double.IsNaN(value) && modes.MissingMode == GuardMode.Impute && !_allowMissing[f])
                    {
                        row[f] = T.CreateTruncating(median[f]);
                        var imputed = log.Listing
                            ? new Violation(name, r, f, _names[f], value, Rules.Imputed, $"missing value replaced by the reference median {Signatures.Format(median[f])}")
                            : null;
                        log.Add(name, Rules.Imputed, r, imputed);
                        value = median[f];
                    }
                    else
                    {
                        Slow(ref log, modes, name, r, f, value, typeof(T) == typeof(float));
                    }
                }

                // NaN scores are false in the comparison, so missing values do not count towards outliers.
                var score = Math.Abs(value - median[f]) * inverseScale[f];
                if (score > rowScore)
                {
                    rowScore = score;
                }
            }

            if (scoring)
            {
                maxScore = Math.Max(maxScore, rowScore);
                if (rowScore > threshold)
                {
                    (outliers ??= []).Add(r);
                }
            }
        }

        if (log.Total == 0 && outliers is null)
        {
            return new InputCheck(false, [], 0, ViolationLog.Empty, [], maxScore);
        }

        var counts = log.Counts();
        var reject = (modes.MissingMode == GuardMode.Reject && counts.ContainsKey(Rules.Missing))
            || (modes.RangeMode == GuardMode.Reject && (counts.ContainsKey(Rules.BelowMin) || counts.ContainsKey(Rules.AboveMax) || counts.ContainsKey(Rules.Category)));
        return new InputCheck(reject, log.Listed(), log.Total, counts, outliers?.ToArray() ?? [], maxScore);
    }

    /// <summary>A value outside the fast bounds: missing, a category feature, or out of range.</summary>
    private void Slow(ref ViolationLog log, InputModes modes, string name, int row, int f, double value, bool fp32)
    {
        string rule;
        if (double.IsNaN(value))
        {
            if (_allowMissing[f] || modes.MissingMode is GuardMode.Off)
            {
                return;
            }

            rule = Rules.Missing;
        }
        else if (modes.RangeMode == GuardMode.Off)
        {
            return;
        }
        else if (_categories[f] is { } codes)
        {
            if (value == Math.Floor(value) && Math.Abs(value) < 9e18 && Array.BinarySearch(codes, (long)value) >= 0)
            {
                return;
            }

            rule = Rules.Category;
        }
        else
        {
            rule = value < _min[f] ? Rules.BelowMin : Rules.AboveMax;
        }

        var listed = log.Listing ? new Violation(name, row, f, _names[f], value, rule, Detail(rule, f, value, fp32)) : null;
        log.Add(name, rule, row, listed);
    }

    private string Detail(string rule, int f, double value, bool fp32)
    {
        // FP32 values print as the float the client sent (250.1, not 250.10000610351562).
        var text = fp32 ? ((float)value).ToString(CultureInfo.InvariantCulture) : Signatures.Format(value);
        return rule switch
        {
            Rules.Missing => "missing value; the feature does not allow missing values",
            Rules.Category => $"value {text} is not one of the categories {string.Join(", ", _categories[f]!)}",
            Rules.BelowMin => $"value {text} is below min {Signatures.FormatBound(_min[f])}",
            _ => $"value {text} is above max {Signatures.FormatBound(_max[f])}",
        };
    }
}
