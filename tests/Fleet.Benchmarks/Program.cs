using Fleet.Benchmarks;

// dotnet run -c Release --project tests/Fleet.Benchmarks -- hotpath|http|alerts
return args.FirstOrDefault() switch
{
    "hotpath" => await HotPathBenchmark.RunAsync(),
    "breakdown" => await Breakdown(),
    "http" => await HttpBenchmark.RunAsync(),
    "alerts" => await AlertBenchmark.RunAsync(),
    _ => Usage(),
};

static async Task<int> Breakdown()
{
    HotPathBenchmark.Breakdown = true;
    return await HotPathBenchmark.RunAsync();
}

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project tests/Fleet.Benchmarks -- hotpath|http|alerts");
    Console.Error.WriteLine("  hotpath  raw ONNX Runtime Run() vs Fleet's supervised in-process path, batch 1 and 64, every sample model");
    Console.Error.WriteLine("  http     /v2/models/{m}/infer with and without supervision, closed-loop load over loopback");
    Console.Error.WriteLine("  alerts   signal -> signed webhook and Alertmanager post, vs a raw HTTP POST to the same receiver");
    return 2;
}
