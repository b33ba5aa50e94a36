using Fleet.Drift.Samples;

namespace Fleet.Drift;

/// <summary>
/// One feature's reference distribution, built once per model version and shared read-only by every drift
/// run, so a run does no reference work: numeric features keep their values sorted (for the KS merge and
/// the Wasserstein distance) with mean, standard deviation and decile PSI bins; categorical features keep
/// their distinct category codes, ascending, with counts. Missing values (NaN, and infinities, as
/// Fleet.Statistics counts them) are dropped and not counted.
/// </summary>
public sealed class FeatureReference
{
    private FeatureReference(string name, FeatureKind kind, int rows, double[] values, long[] counts, double[] psiEdges, long[] psiCounts)
    {
        Name = name;
        Kind = kind;
        Rows = rows;
        Values = values;
        Counts = counts;
        PsiEdges = psiEdges;
        PsiCounts = psiCounts;
        Count = kind == FeatureKind.Numeric ? values.Length : (int)counts.Sum();
        if (kind == FeatureKind.Numeric && values.Length > 0)
        {
            Mean = SampleMath.Mean(values);
            Std = SampleMath.PopulationStd(values, Mean);
        }
    }

    public string Name { get; }

    public FeatureKind Kind { get; }

    /// <summary>Non-missing values.</summary>
    public int Count { get; }

    /// <summary>Values given, missing ones included.</summary>
    internal int Rows { get; }

    /// <summary>Numeric: all values, ascending. Categorical: the distinct category codes, ascending.</summary>
    internal double[] Values { get; }

    /// <summary>Categorical: values per category of <see cref="Values"/>. Numeric: empty.</summary>
    internal long[] Counts { get; }

    /// <summary>Numeric: the PSI bin edges (<see cref="PsiBins"/>). Categorical: empty.</summary>
    internal double[] PsiEdges { get; }

    /// <summary>Numeric: reference values per PSI bin. Categorical: empty.</summary>
    internal long[] PsiCounts { get; }

    internal double Mean { get; } = double.NaN;

    /// <summary>Population standard deviation (ddof = 0).</summary>
    internal double Std { get; } = double.NaN;

    /// <summary>
    /// Builds the reference of feature <paramref name="name"/> from its reference values. Categorical values
    /// are category codes compared exactly (-0 equals 0).
    /// </summary>
    public static FeatureReference Create(string name, FeatureKind kind, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Enum.IsDefined(kind))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown feature kind");

        var sorted = new double[SampleMath.CountFinite(values)];
        SampleMath.CopyFinite(values, sorted);
        Array.Sort(sorted);
        if (kind == FeatureKind.Categorical)
        {
            var (categories, counts) = Categories.Distinct(sorted);
            return new FeatureReference(name, kind, values.Length, categories, counts, [], []);
        }

        if (sorted.Length == 0)
            return new FeatureReference(name, kind, values.Length, sorted, [], [], []);
        var edges = PsiBins.Edges(sorted);
        var psiCounts = new long[edges.Length + 1];
        PsiBins.Count(sorted, edges, psiCounts);
        return new FeatureReference(name, kind, values.Length, sorted, [], edges, psiCounts);
    }

    public override string ToString() => $"{Name} ({Kind}, {Count} values)";
}
