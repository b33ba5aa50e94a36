using System.Diagnostics;
using System.Net;

namespace Fleet.Benchmarks;

/// <summary>
/// The same request mix through POST /v2/models/{m}/infer on two in-process servers, one supervised and
/// one with Fleet:Supervision:Enabled=false, driven by a closed-loop client over loopback.
/// </summary>
internal static class HttpBenchmark
{
    private const int Concurrency = 16;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync()
    {
        await using var supervised = await BenchServer.StartAsync();
        await using var raw = await BenchServer.StartAsync("--Fleet:Supervision:Enabled=false");
        var mix = new[] { "breast-cancer", "wine", "diabetes" }
            .Select(m => (Path: $"v2/models/{m}/infer", Body: File.ReadAllText(Path.Combine(Repo.Samples, m, "request.json"))))
            .ToArray();
        Console.WriteLine($"http: {Concurrency} concurrent clients, {Duration.TotalSeconds:F0} s per run after {Warmup.TotalSeconds:F0} s warm-up, request mix: breast-cancer, wine, diabetes (3 rows each), server and client share {Environment.ProcessorCount} cores");
        Console.WriteLine($"{"server",-12} {"req/s",9} {"p50 ms",8} {"p99 ms",8} {"failed",7}");
        var results = new Dictionary<string, List<Run>> { ["raw"] = [], ["supervised"] = [] };
        for (var round = 0; round < 2; round++)
        {
            foreach (var (name, server) in new[] { ("raw", raw), ("supervised", supervised) })
            {
                var run = await LoadAsync(server.Address, mix);
                results[name].Add(run);
                Console.WriteLine($"{name,-12} {run.Rps,9:F0} {run.P50,8:F3} {run.P99,8:F3} {run.Failed,7}");
            }
        }

        var r = Best(results["raw"]);
        var s = Best(results["supervised"]);
        Console.WriteLine($"http: supervised/raw requests/s ratio {s.Rps / r.Rps:F2}, p99 {s.P99:F3} ms vs {r.P99:F3} ms, failed {results.Values.SelectMany(x => x).Sum(x => x.Failed)}");
        return results.Values.SelectMany(x => x).Any(x => x.Failed > 0) ? 1 : 0;
    }

    private static Run Best(List<Run> runs) => runs.MaxBy(r => r.Rps)!;

    private static async Task<Run> LoadAsync(Uri address, (string Path, string Body)[] mix)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { BaseAddress = address };
        var failed = 0;
        async Task<List<double>> Loop(int worker, TimeSpan length, bool record)
        {
            var latencies = new List<double>(100_000);
            var stop = Stopwatch.StartNew();
            var i = worker;
            while (stop.Elapsed < length)
            {
                var (path, body) = mix[i++ % mix.Length];
                var start = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync(path, new StringContent(body));
                await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref failed);
                }

                if (record)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }

            return latencies;
        }

        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(w => Loop(w, Warmup, false)));
        failed = 0;
        var watch = Stopwatch.StartNew();
        var all = (await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(w => Loop(w, Duration, true)))).SelectMany(x => x).ToList();
        var seconds = watch.Elapsed.TotalSeconds;
        return new Run(all.Count / seconds, Percentiles.Of(all, 50), Percentiles.Of(all, 99), failed);
    }

    private sealed record Run(double Rps, double P50, double P99, int Failed);
}
