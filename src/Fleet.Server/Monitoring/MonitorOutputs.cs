using Fleet.Contracts;
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

    /// <summary>Classes of a classifier output (0 for values).</summary>
    public static int ClassCount(OutputRule rule, Tensor output) => rule.Kind switch
    {
        OutputKind.Probabilities => output.Shape.Length == 2 ? (int)output.Shape[1] : 0,
        OutputKind.Labels => rule.ClassCount ?? 0,
        _ => 0,
    };

    public static FeatureKind ScoreKind(OutputRule rule, int classCount) =>
        rule.Kind == OutputKind.Values || (rule.Kind == OutputKind.Probabilities && classCount == 2) ? FeatureKind.Numeric : FeatureKind.Categorical;

    public static Reading Read(OutputRule rule, Tensor output, int row)
    {
        switch (rule.Kind)
        {
            case OutputKind.Probabilities when output.Shape.Length == 2:
            {
                var classes = (int)output.Shape[1];
                var probabilities = new double[classes];
                var best = 0;
                for (var c = 0; c < classes; c++)
                {
                    probabilities[c] = At(output, (row * classes) + c);
                    if (probabilities[c] > probabilities[best])
                    {
                        best = c;
                    }
                }

                var score = classes == 2 ? probabilities[1] : best;
                return new Reading(best, score, probabilities[best], probabilities);
            }

            case OutputKind.Labels:
            {
                var label = (int)At(output, row);
                return new Reading(label, label, double.NaN, null);
            }

            default:
            {
                var width = output.Shape.Length == 2 ? (int)output.Shape[1] : 1;
                return new Reading(-1, At(output, row * width), double.NaN, null);
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
    public readonly record struct Reading(int Predicted, double Score, double Confidence, double[]? Probabilities);
}
