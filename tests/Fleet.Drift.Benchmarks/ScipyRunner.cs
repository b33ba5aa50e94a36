using System.Diagnostics;
using System.Text.Json;

namespace Fleet.Drift.Benchmarks;

/// <summary>
/// Runs SciPy's <c>ks_2samp</c> loop on the same data file under the Debian interpreter and reads back its
/// best time and results. Exactly the call a Python drift job would make: default method ('auto').
/// </summary>
internal static class ScipyRunner
{
    public const string Python = "/usr/bin/python3";

    private const string Script = """
        import json, sys, time
        import numpy as np
        from scipy import stats
        path, repetitions = sys.argv[1], int(sys.argv[2])
        header = np.fromfile(path, dtype='<i4', count=3)
        features, n_ref, n_cur = (int(v) for v in header)
        data = np.fromfile(path, dtype='<f8', offset=12)
        reference = data[:features * n_ref].reshape(features, n_ref)
        current = data[features * n_ref:].reshape(features, n_cur)
        def run():
            return [stats.ks_2samp(reference[f], current[f]) for f in range(features)]
        results = run()  # warm-up
        best = float('inf')
        for _ in range(repetitions):
            start = time.perf_counter()
            results = run()
            best = min(best, time.perf_counter() - start)
        json.dump({'best_ms': best * 1000.0,
                   'statistics': [float(r.statistic) for r in results],
                   'pvalues': [float(r.pvalue) for r in results]}, sys.stdout)
        """;

    public sealed record Result(double BestMs, double[] Statistics, double[] PValues);

    /// <summary>Null with a message when /usr/bin/python3 or SciPy is missing.</summary>
    public static string? Check()
    {
        if (!File.Exists(Python))
            return $"{Python} not found: the comparison needs the Debian interpreter with numpy and scipy (apt-get install python3-scipy)";
        var (exitCode, output, error) = Execute(["-c", "import numpy, scipy; print(scipy.__version__)"]);
        return exitCode == 0 ? null : $"{Python} cannot import numpy and scipy (apt-get install python3-scipy): {error.Trim()}{output.Trim()}";
    }

    public static string Version() => Execute(["-c", "import numpy, scipy; print(f'scipy {scipy.__version__}, numpy {numpy.__version__}')"]).Output.Trim();

    public static Result Run(string dataPath, int repetitions)
    {
        var (exitCode, output, error) = Execute(["-c", Script, dataPath, repetitions.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (exitCode != 0)
            throw new InvalidOperationException($"the SciPy script failed ({exitCode}): {error}");
        var json = JsonDocument.Parse(output).RootElement;
        return new Result(
            json.GetProperty("best_ms").GetDouble(),
            [.. json.GetProperty("statistics").EnumerateArray().Select(e => e.GetDouble())],
            [.. json.GetProperty("pvalues").EnumerateArray().Select(e => e.GetDouble())]);
    }

    private static (int ExitCode, string Output, string Error) Execute(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {Python}");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
