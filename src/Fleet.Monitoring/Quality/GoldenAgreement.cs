using System.Globalization;

namespace Fleet.Monitoring.Quality;

/// <summary>
/// A classifier's answers on its golden rows against those rows' reference labels. It fails only when the answers
/// agree with the labels less than one time in two beyond doubt (the agreement's 99.9 % Wilson upper bound under
/// 0.5): a model that is wrong on its own golden set, as an inverted one is (0 of 16: at most 0.374), not one that
/// misses a hard row or two, whatever the mix of labels on those few rows.
/// </summary>
public static class GoldenAgreement
{
    public static (bool Passed, string Detail) Judge(IReadOnlyList<int> labels, IReadOnlyList<int> predicted)
    {
        if (labels.Count != predicted.Count)
            throw new ArgumentException($"{labels.Count} labels but {predicted.Count} answers", nameof(predicted));
        if (labels.Count == 0)
            return (true, "no labelled golden rows");

        var agree = labels.Where((l, i) => predicted[i] == l).Count();
        var n = labels.Count;
        var upper = QualityBounds.Wilson((double)agree / n, n).Upper;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"the answers agree with the reference labels on {agree} of {n} golden rows (at most {upper:0.###} at 99.9%)");
        return upper < 0.5 ? (false, text + ": the model is wrong on its own golden set") : (true, text);
    }
}
