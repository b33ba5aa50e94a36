using System.Globalization;

namespace Fleet.Monitoring.Quality;

/// <summary>
/// A classifier's answers on its golden rows against those rows' reference labels. It fails only when the
/// agreement is clearly below what always answering the most common of those labels would score (the agreement's
/// 99.9 % Wilson upper bound under that share): a model that is wrong on its own golden set, as an inverted one
/// is, not one that misses a hard row or two.
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
        var majority = (double)labels.GroupBy(l => l).Max(g => g.Count()) / n;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"the answers agree with the reference labels on {agree} of {n} golden rows (at most {upper:0.###} at 99.9%; always answering the most common label: {majority:0.###})");
        return upper < majority ? (false, text + ": the model is wrong on its own golden set") : (true, text);
    }
}
