using Fleet.Drift.Benchmarks;

// dotnet run -c Release --project tests/Fleet.Drift.Benchmarks -- ks
return args.FirstOrDefault() switch
{
    "ks" => KsBenchmark.Run(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project tests/Fleet.Drift.Benchmarks -- ks");
    Console.Error.WriteLine("  ks  Fleet's two-sample KS (and DriftAnalyzer.Analyze) vs scipy.stats.ks_2samp, 100 features, 10,000-row reference");
    return 2;
}
