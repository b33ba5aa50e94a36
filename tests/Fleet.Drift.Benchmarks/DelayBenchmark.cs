using System.Diagnostics;
using System.Globalization;
using Fleet.Monitoring.Online;

namespace Fleet.Drift.Benchmarks;

/// <summary>
/// Detection delay of Fleet's sequential (CUSUM) detector for a 1-sigma mean shift, on one input feature of 20
/// and on the model output, at the default ERT (2000 samples) and at Alibi Detect's example ERT (50), plus the
/// Wine data Alibi's online MMD anchor used (ERT 50, window 10: mean run 48.5, mean delay 6.0).
/// </summary>
internal static class DelayBenchmark
{
    private const int Runs = 400;
    private const int BurnIn = 200;

    public static int Run()
    {
        var synthetic = Synthetic(5000, 20, seed: 3);
        Console.WriteLine("sequential detector (multi-column CUSUM, k = 0.5), delays in samples after the change, mean over " + Runs + " runs");
        Console.WriteLine($"{"data",-34} {"ERT",6} {"calibrate",10} {"mean run",10} {"delay feature",14} {"delay output",13}");
        foreach (var ert in new[] { 2000, 50 })
        {
            Report($"20 correlated Gaussian + output", synthetic, ert, outputColumn: 20);
        }

        var wine = Wine();
        if (wine is not null)
        {
            Report("wine reference (13 features)", wine, 50, outputColumn: null);
        }

        Console.WriteLine("anchor: Alibi Detect online MMD on Wine, ERT 50, window 10: mean run 48.5, mean delay 6.0 (0-based: +1 to compare)");
        return 0;
    }

    private static void Report(string name, double[][] columns, int ert, int? outputColumn)
    {
        var names = Enumerable.Range(0, columns.Length).Select(i => i == outputColumn ? "__output__" : $"f{i}").ToArray();
        var watch = Stopwatch.StartNew();
        var detector = SequentialDetector.Calibrate(columns, names, new SequentialSettings { ExpectedRunTime = ert });
        var calibrate = watch.Elapsed.TotalMilliseconds;
        var run = RunLengthSimulator.MeanRunLength(detector, columns, Runs, seed: 11);
        var feature = RunLengthSimulator.DetectionDelay(detector, columns, 0, 1.0, BurnIn, Runs, seed: 12);
        var output = outputColumn is { } o ? RunLengthSimulator.DetectionDelay(detector, columns, o, 1.0, BurnIn, Runs, seed: 13) : null;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-34} {ert,6} {calibrate,8:0} ms {run.Mean,10:0.0} {feature.Mean,14:0.0} {(output is null ? "-" : output.Mean.ToString("0.0", CultureInfo.InvariantCulture)),13}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"delay: ert {ert}, {name}: feature {feature.Mean:0.0} (median {feature.Median:0}), output {(output is null ? "-" : $"{output.Mean:0.0} (median {output.Median:0})")}, mean run {run.Mean:0.0} (goal {ert} +-20%)"));
    }

    /// <summary>Columns: <paramref name="features"/> Gaussian features with correlation 0.5, then an output = logistic of their mean.</summary>
    private static double[][] Synthetic(int rows, int features, int seed)
    {
        var random = new Random(seed);
        var columns = Enumerable.Range(0, features + 1).Select(_ => new double[rows]).ToArray();
        for (var r = 0; r < rows; r++)
        {
            var common = Seeded.Normal(random);
            var sum = 0.0;
            for (var c = 0; c < features; c++)
            {
                columns[c][r] = (Math.Sqrt(0.5) * common) + (Math.Sqrt(0.5) * Seeded.Normal(random));
                sum += columns[c][r];
            }

            columns[features][r] = 1 / (1 + Math.Exp(-sum / features * 3));
        }

        return columns;
    }

    private static double[][]? Wine()
    {
        var path = RepoPaths.Sample("wine", "reference.csv");
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"delay: {path} not found; skipping the Wine case");
            return null;
        }

        var rows = File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return Enumerable.Range(0, rows[0].Length).Select(c => rows.Select(r => r[c]).ToArray()).ToArray();
    }
}
