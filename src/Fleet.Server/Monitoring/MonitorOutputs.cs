using Fleet.Abstractions.Contracts;
using Fleet.Drift;
using Fleet.Inference.Tensors;

namespace Fleet.Server.Monitoring;

/// <summary>
/// What the detectors read from a model's outputs: the output its contract marks as probabilities (else class
/// labels, else values) gives, per row, the predicted class, the confidence and the score the output drift test
/// uses (probability of class 1 for binary classifiers, the predicted class for multiclass, the value for regressors).
/// </summary>
internal static class MonitorOutputs
{
    public static OutputRule? Primary(VersionContract? contract)
    {
        var rules = contract?.Output.Outputs ?? [];
        return rules.FirstOrDefault(r => r.Kind == OutputKind.Probabilities)
            ?? rules.FirstOrDefault(r => r.Kind == OutputKind.Labels)
            ?? rules.FirstOrDefault(r => r.Kind == OutputKind.Values);
    }

    /// <summary>
    /// The readings of <paramref name="rows"/> from <paramref name="predictions"/> through the contract's primary
    /// output, with its class count; null when the contract names no output those predictions carry.
    /// </summary>
    public static (Reading[] Readings, int ClassCount, OutputRule Rule)? ReadRows(VersionContract? contract, IReadOnlyList<Tensor> predictions, IEnumerable<int> rows)
    {
        var rule = Primary(contract);
        var output = rule is null ? null : predictions.FirstOrDefault(t => t.Name == rule.Output);
        return rule is null || output is null ? null : (rows.Select(r => Read(rule, output, r)).ToArray(), ClassCount(rule, output), rule);
    }

    /// <summary>Classes of a classifier output (0 for values).</summary>
    public static int ClassCount(OutputRule rule, Tensor output) => rule.Kind switch
    {
        OutputKind.Probabilities => output.Shape.Length == 2 ? (int)output.Shape[1] : 0,
        OutputKind.Labels => rule.ClassCount ?? 0,
        _ => 0,
    };

    public static FeatureKind ScoreKind(OutputRule rule, int classCount) =>
        rule.Kind == OutputKind.Values || (rule.Kind == OutputKind.Probabilities && classCount == 2) ? FeatureKind.Numeric : FeatureKind.Categorical;

    /// <summary>One row's reading; a probabilities output also fills <paramref name="probabilities"/> when it is long enough (else it is left alone).</summary>
    public static Reading Read(OutputRule rule, Tensor output, int row, Span<double> probabilities = default)
    {
        switch (rule.Kind)
        {
            case OutputKind.Probabilities when output.Shape.Length == 2:
            {
                var classes = (int)output.Shape[1];
                var best = 0;
                var bestValue = double.NegativeInfinity;
                for (var c = 0; c < classes; c++)
                {
                    var p = At(output, (row * classes) + c);
                    if (c < probabilities.Length)
                    {
                        probabilities[c] = p;
                    }

                    if (p > bestValue)
                    {
                        (best, bestValue) = (c, p);
                    }
                }

                var score = classes == 2 ? At(output, (row * classes) + 1) : best;
                return new Reading(best, score, bestValue);
            }

            case OutputKind.Labels:
            {
                var label = (int)At(output, row);
                return new Reading(label, label, double.NaN);
            }

            default:
            {
                var width = output.Shape.Length == 2 ? (int)output.Shape[1] : 1;
                return new Reading(-1, At(output, row * width), double.NaN);
            }
        }
    }

    private static double At(Tensor tensor, int index) => tensor.Data switch
    {
        float[] f => f[index],
        double[] d => d[index],
        long[] l => l[index],
        int[] i => i[index],
        _ => double.NaN,
    };

    /// <summary>One row's reading: predicted class (-1 for regressors), the score, the confidence (NaN without probabilities).</summary>
    public readonly record struct Reading(int Predicted, double Score, double Confidence);
}
