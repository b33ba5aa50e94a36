using System.Diagnostics;
using System.Globalization;
using Fleet.Drift.Analysis;

namespace Fleet.Drift.Benchmarks;

/// <summary>
/// Fleet's KS (statistic and p-value per feature) against SciPy's <c>ks_2samp</c> loop on the same seeded
/// data: 100 features, 10,000 reference rows, current windows of 10,000 and 1,000 rows with five shifted
/// features. Fleet's side is the analyzer's KS path: the <see cref="FeatureReference"/>s (pre-sorted, built
/// once per model version) are not timed; each current column is filtered and sorted, merged once with the
/// reference and given its p-value. Both sides report their best of several warmed-up repetitions, single
/// threaded. The goal: Fleet within 0.1 x SciPy's time on the 10,000-row window. Also times
/// <see cref="DriftAnalyzer.Analyze"/> end to end (KS, Wasserstein, PSI, correction, verdicts).
/// </summary>
internal static class KsBenchmark
{
    private const int Features = 100;
    private const int ReferenceRows = 10_000;
    private const double Goal = 0.1;
    private const int FleetRepetitions = 20;
    private const int ScipyRepetitions = 3;

    // Agreement required: statistics identical (both are h / lcm(n1, n2) here), p-values as in the tests.
    private const double PValueRelative = 1e-9;
    private const double PValueAbsolute = 1e-15;

    public static int Run()
    {
        if (ScipyRunner.Check() is { } problem)
        {
            Console.Error.WriteLine($"ks: {problem}");
            return 1;
        }

        Console.WriteLine(Invariant($"ks: {Features} features, {ReferenceRows:N0} reference rows; {ScipyRunner.Version()}; .NET {Environment.Version}, {Environment.ProcessorCount} cores"));
        var cases = new[] { 10_000, 1_000 }.Select(RunCase).ToArray();

        Console.WriteLine();
        Console.WriteLine("current rows | fleet ks ms | scipy ks ms | ratio | fleet analyze ms | statistics equal | max p-value rel. diff");
        Console.WriteLine("-------------|-------------|-------------|-------|------------------|------------------|----------------------");
        foreach (var c in cases)
        {
            Console.WriteLine(Invariant(
                $"{c.CurrentRows,12:N0} | {c.FleetMs,11:F2} | {c.ScipyMs,11:F1} | {c.Ratio,5:F3} | {c.AnalyzeMs,16:F2} | {(c.StatisticsEqual ? "yes" : "NO"),16} | {c.MaxPValueDifference,21:G3}"));
        }

        foreach (var c in cases)
        {
            Console.WriteLine();
            Console.WriteLine(Invariant($"shifted features, {c.CurrentRows:N0} current rows: feature | shift (sd) | D fleet | D scipy | p fleet | p scipy"));
            foreach (var (feature, shift) in c.Data.Shifts.OrderBy(s => s.Key))
            {
                Console.WriteLine(Invariant(
                    $"  f{feature,-3} | {shift,5:0.00} | {c.Fleet[feature].Statistic:F5} | {c.Scipy.Statistics[feature]:F5} | {c.Fleet[feature].PValue,10:G4} | {c.Scipy.PValues[feature],10:G4}"));
            }
        }

        var agree = cases.All(c => c.StatisticsEqual && c.MaxPValueDifference <= PValueRelative);
        var main = cases[0];
        Console.WriteLine();
        if (!agree)
            Console.WriteLine(Invariant($"ks: Fleet and SciPy DISAGREE (statistics must be equal, p-values within {PValueRelative} relative or {PValueAbsolute} absolute)"));
        Console.WriteLine(Invariant(
            $"ks: fleet {main.FleetMs:F1} ms, scipy {main.ScipyMs:F1} ms, ratio {main.Ratio:F3} (goal <= {Goal}{(main.Ratio <= Goal ? ", met" : ", MISSED")})"));
        return agree ? 0 : 1;
    }

    private sealed record CaseResult(int CurrentRows, DriftData Data, double FleetMs, KsResult[] Fleet, double AnalyzeMs, ScipyRunner.Result Scipy)
    {
        public double ScipyMs => Scipy.BestMs;

        public double Ratio => FleetMs / ScipyMs;

        public bool StatisticsEqual => Fleet.Select(r => r.Statistic).SequenceEqual(Scipy.Statistics);

        public double MaxPValueDifference => Fleet.Select((r, f) => PValueDifference(Scipy.PValues[f], r.PValue)).Max();
    }

    private static CaseResult RunCase(int currentRows)
    {
        var data = DriftData.Generate(Features, ReferenceRows, currentRows, seed: 20_240_611 + currentRows);
        var path = Path.Combine(Path.GetTempPath(), $"fleet-drift-ks-{Environment.ProcessId}-{currentRows}.bin");
        try
        {
            data.Write(path);
            var (fleetMs, fleet) = TimeFleetKs(data);
            var analyzeMs = TimeAnalyze(data);
            return new CaseResult(currentRows, data, fleetMs, fleet, analyzeMs, ScipyRunner.Run(path, ScipyRepetitions));
        }
        finally
        {
            File.Delete(path);
        }
    }

    // Relative difference, 0 where the two are within the absolute tolerance (tiny p-values).
    private static double PValueDifference(double expected, double actual) =>
        Math.Abs(expected - actual) <= PValueAbsolute ? 0 : Math.Abs(expected - actual) / Math.Abs(expected);

    private static (double BestMs, KsResult[] Results) TimeFleetKs(DriftData data)
    {
        var references = References(data);
        var measurer = new FeatureMeasurer(data.Current[0].Length);
        var results = new KsResult[data.Features];

        void RunOnce()
        {
            for (var f = 0; f < data.Features; f++)
                results[f] = measurer.KolmogorovSmirnov(references[f], data.Current[f]);
        }

        return (Best(RunOnce), results);
    }

    private static double TimeAnalyze(DriftData data)
    {
        var references = References(data);
        var settings = new DriftSettings();
        return Best(() => DriftAnalyzer.Analyze(references, data.Current, settings));
    }

    // Built once per model version in production: not timed.
    private static FeatureReference[] References(DriftData data) =>
        [.. data.Reference.Select((column, f) => FeatureReference.Create($"f{f}", FeatureKind.Numeric, column))];

    private static double Best(Action action)
    {
        for (var i = 0; i < 3; i++)
            action();
        var best = double.MaxValue;
        for (var i = 0; i < FleetRepetitions; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return best;
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
