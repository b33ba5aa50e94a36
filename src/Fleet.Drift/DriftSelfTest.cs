using System.Globalization;

namespace Fleet.Drift;

/// <summary>
/// A known answer for the drift tests, run by the server at start and periodically: a reference of 1,000 rows (two
/// normal features and a categorical one) against a fresh sample of the same distribution, which must not drift, and
/// against a sample with the first feature shifted by one standard deviation and the categories' shares moved, whose
/// two changed features must drift (and the unchanged one not). A failure means the statistics themselves are broken:
/// every drift verdict Fleet gives would be wrong, silently. Seeded: the same numbers every run.
/// </summary>
public static class DriftSelfTest
{
    public const int Rows = 1000;

    /// <summary>Passed, and one line saying what was checked or what went wrong (with the numbers).</summary>
    public static (bool Passed, string Detail) Run(DriftSettings? settings = null)
    {
        settings ??= DriftSettings.Default;
        var random = new Random(20261207);
        var reference = Sample(random, shift: 0, categories: [0.5, 0.3, 0.2]);
        var same = Sample(random, shift: 0, categories: [0.5, 0.3, 0.2]);
        var shifted = Sample(random, shift: 1, categories: [0.2, 0.3, 0.5]);
        string[] names = ["selftest_shifted", "selftest_steady", "selftest_category"];
        FeatureKind[] kinds = [FeatureKind.Numeric, FeatureKind.Numeric, FeatureKind.Categorical];
        var references = names.Select((n, i) => FeatureReference.Create(n, kinds[i], reference[i])).ToArray();

        var clean = DriftAnalyzer.Analyze(references, same, settings);
        if (clean.Overall == DriftVerdict.Drift || clean.Features.Any(f => f.Verdict == DriftVerdict.Drift))
        {
            return (false, $"a sample of the reference's own distribution drifted: {Describe(clean)}");
        }

        var moved = DriftAnalyzer.Analyze(references, shifted, settings);
        var verdicts = moved.Features.Select(f => f.Verdict).ToArray();
        if (verdicts[0] != DriftVerdict.Drift || verdicts[2] != DriftVerdict.Drift || verdicts[1] == DriftVerdict.Drift)
        {
            return (false, $"a 1-sd shift and moved category shares were not told apart from an unchanged feature: {Describe(moved)}");
        }

        return (true, $"drift tests pass their known answers: same distribution {Describe(clean)}; shifted {Describe(moved)}");
    }

    private static string Describe(DriftReport report) =>
        $"{report.Overall.ToWire()} (" + string.Join(", ", report.Features.Select(f =>
            $"{f.Name} {f.Test} p={f.AdjustedPValue.ToString("0.####", CultureInfo.InvariantCulture)} {f.Verdict.ToWire()}")) + ")";

    private static double[][] Sample(Random random, double shift, double[] categories)
    {
        var columns = new[] { new double[Rows], new double[Rows], new double[Rows] };
        for (var r = 0; r < Rows; r++)
        {
            columns[0][r] = Normal(random) + shift;
            columns[1][r] = Normal(random);
            var u = random.NextDouble();
            columns[2][r] = u < categories[0] ? 0 : u < categories[0] + categories[1] ? 1 : 2;
        }

        return columns;
    }

    // Box-Muller: a standard normal from two uniforms.
    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
