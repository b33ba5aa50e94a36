namespace Fleet.Monitoring.Quality;

/// <summary>
/// Labelled quality metrics with scikit-learn's definitions (checked against sklearn 1.2.1 in the tests):
/// accuracy_score; log_loss with probabilities clipped to [1e-15, 1 − 1e-15] and each row renormalised;
/// f1_score with average='binary' (class 1) for two classes and average='macro', zero_division=0 over the
/// classes present in labels or predictions otherwise; mean_absolute_error and √mean_squared_error.
/// </summary>
public static class QualityMetrics
{
    /// <summary>The clip of log_loss: sklearn's default up to 1.1 (1.2 defaults to machine epsilon).</summary>
    public const double ProbabilityClip = 1e-15;

    public static ClassificationQuality Classification(
        ReadOnlySpan<int> labels, ReadOnlySpan<int> predicted, IReadOnlyList<double[]>? probabilities, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        if (predicted.Length != labels.Length)
            throw new ArgumentException($"{labels.Length} labels but {predicted.Length} predictions", nameof(predicted));
        if (probabilities is not null && probabilities.Count != labels.Length)
            throw new ArgumentException($"{labels.Length} labels but {probabilities.Count} probability rows", nameof(probabilities));
        CheckClasses(labels, classCount, nameof(labels));
        CheckClasses(predicted, classCount, nameof(predicted));

        var count = labels.Length;
        if (count == 0)
            return new ClassificationQuality(0, double.NaN, double.NaN, double.NaN);
        var confusion = Tally(labels, predicted, classCount);
        var accuracy = (double)Enumerable.Range(0, classCount).Sum(c => confusion.TruePositives[c]) / count;
        var f1 = classCount == 2 ? F1(confusion, 1) : MacroF1(confusion, classCount);
        var logLoss = probabilities is null ? double.NaN : LogLoss(labels, probabilities, classCount);
        return new ClassificationQuality(count, accuracy, logLoss, f1);
    }

    public static RegressionQuality Regression(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        if (predicted.Length != actual.Length)
            throw new ArgumentException($"{actual.Length} actual values but {predicted.Length} predictions", nameof(predicted));
        if (actual.Length == 0)
            return new RegressionQuality(0, double.NaN, double.NaN);
        double absolute = 0, squared = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            var error = actual[i] - predicted[i];
            absolute += Math.Abs(error);
            squared += error * error;
        }

        return new RegressionQuality(actual.Length, absolute / actual.Length, Math.Sqrt(squared / actual.Length));
    }

    private static double LogLoss(ReadOnlySpan<int> labels, IReadOnlyList<double[]> probabilities, int classCount)
    {
        double total = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var row = probabilities[i];
            if (row is null || row.Length != classCount)
                throw new ArgumentException($"probability row {i} has {row?.Length ?? 0} values, expected {classCount}", nameof(probabilities));
            double sum = 0;
            foreach (var p in row)
                sum += Clip(p);
            total -= Math.Log(Clip(row[labels[i]]) / sum);
        }

        return total / labels.Length;
    }

    private static double Clip(double p) => Math.Clamp(p, ProbabilityClip, 1 - ProbabilityClip);

    private static double F1(Confusion confusion, int c)
    {
        var denominator = (2 * confusion.TruePositives[c]) + confusion.FalsePositives[c] + confusion.FalseNegatives[c];
        return denominator == 0 ? 0 : 2.0 * confusion.TruePositives[c] / denominator;
    }

    // sklearn's labels=None: a class that appears neither in the labels nor in the predictions is not averaged.
    private static double MacroF1(Confusion confusion, int classCount)
    {
        var present = Enumerable.Range(0, classCount).Where(c => confusion.Seen[c]).ToArray();
        return present.Average(c => F1(confusion, c));
    }

    private static Confusion Tally(ReadOnlySpan<int> labels, ReadOnlySpan<int> predicted, int classCount)
    {
        var confusion = new Confusion(new long[classCount], new long[classCount], new long[classCount], new bool[classCount]);
        for (var i = 0; i < labels.Length; i++)
        {
            confusion.Seen[labels[i]] = true;
            confusion.Seen[predicted[i]] = true;
            if (labels[i] == predicted[i])
            {
                confusion.TruePositives[labels[i]]++;
            }
            else
            {
                confusion.FalsePositives[predicted[i]]++;
                confusion.FalseNegatives[labels[i]]++;
            }
        }

        return confusion;
    }

    private static void CheckClasses(ReadOnlySpan<int> values, int classCount, string name)
    {
        foreach (var value in values)
        {
            if (value < 0 || value >= classCount)
                throw new ArgumentException($"class {value} is outside 0..{classCount - 1}", name);
        }
    }
}
