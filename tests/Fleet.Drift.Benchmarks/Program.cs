using Fleet.Drift.Benchmarks;

// dotnet run -c Release --project tests/Fleet.Drift.Benchmarks -- ks|delay
return args.FirstOrDefault() switch
{
    "ks" => KsBenchmark.Run(),
    "delay" => DelayBenchmark.Run(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project tests/Fleet.Drift.Benchmarks -- ks|delay");
    Console.Error.WriteLine("  ks  Fleet's two-sample KS (and DriftAnalyzer.Analyze) vs scipy.stats.ks_2samp, 100 features, 10,000-row reference");
    Console.Error.WriteLine("  delay  sequential detector: detection delay of a 1-sigma shift on a feature and on the output, at ERT 2000 and 50, vs Alibi Detect's anchor");
    return 2;
}
