using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Fleet.Tests.Cluster;

/// <summary>
/// Steady inference load for a drill: a few workers, each sending the same request to an entry silo in turn, with a
/// deadline (<c>Fleet-Timeout-Ms</c>; the client itself gives up a second after it). Records every answer: when it
/// was sent, status (0: no HTTP answer), latency and which replica served it (<c>Fleet-Served-By</c>, null: the entry itself).
/// </summary>
internal sealed class DrillClient : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly HttpClient _http;

    public DrillClient(IReadOnlyList<Uri> entries, string model, string request, TimeSpan deadline, int workers = 2)
    {
        Deadline = deadline;
        _http = new HttpClient { Timeout = deadline + TimeSpan.FromSeconds(1) };
        _workers = [.. Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var turn = w;
            while (!_stop.IsCancellationRequested)
            {
                var entry = entries[turn++ % entries.Count];
                var sent = _clock.Elapsed;
                using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(entry, $"v2/models/{model}/infer"))
                {
                    Content = new StringContent(request, System.Text.Encoding.UTF8, "application/json"),
                };
                message.Headers.Add("Fleet-Timeout-Ms", ((int)deadline.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
                try
                {
                    using var response = await _http.SendAsync(message);
                    var body = await response.Content.ReadAsStringAsync();
                    Answers.Enqueue(new Answer(sent, _clock.Elapsed - sent, response.StatusCode,
                        response.Headers.TryGetValues("Fleet-Served-By", out var by) ? by.Single() : null, response.IsSuccessStatusCode ? null : body,
                        response.Headers.TryGetValues("Fleet-Model-Version", out var v) ? v.Single() : null, body.Contains("NaN", StringComparison.Ordinal)));
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    Answers.Enqueue(new Answer(sent, _clock.Elapsed - sent, 0, null, ex.Message, null, false));
                }

                await Task.Delay(10);
            }
        }))];
    }

    public TimeSpan Deadline { get; }

    public ConcurrentQueue<Answer> Answers { get; } = new();

    public TimeSpan Elapsed => _clock.Elapsed;

    public IReadOnlyList<Answer> Failed => [.. Answers.Where(a => a.Status != HttpStatusCode.OK)];

    /// <summary>Waits until <paramref name="count"/> more answers came in (the load is really flowing).</summary>
    public async Task WaitAnswersAsync(int count)
    {
        var target = Answers.Count + count;
        await Poll.UntilAsync(() => Task.FromResult(Answers.Count >= target), DrillCluster.Wait, $"{count} more answers");
    }

    /// <summary>When the entry first answered by itself (no <c>Fleet-Served-By</c>) after <paramref name="since"/>: a replica moved onto it.</summary>
    public TimeSpan? ServedLocallySince(TimeSpan since) => Answers.Where(a => a.Sent >= since && a.Status == HttpStatusCode.OK && a.ServedBy is null)
        .Select(a => (TimeSpan?)(a.Sent + a.Latency - since)).Min();

    public string Summary(TimeSpan since)
    {
        var after = Answers.Where(a => a.Sent >= since).ToArray();
        var latencies = after.Select(a => a.Latency.TotalMilliseconds).Order().ToArray();
        return $"{after.Length} requests after the fault, {after.Count(a => a.Status != HttpStatusCode.OK)} failed, " +
            $"latency p50 {Percentile(latencies, 0.5):0.0} ms, p99 {Percentile(latencies, 0.99):0.0} ms, max {latencies.LastOrDefault():0.0} ms " +
            $"(deadline {Deadline.TotalMilliseconds:0} ms)";
    }

    private static double Percentile(double[] sorted, double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _stop.Dispose();
        _http.Dispose();
    }

    internal sealed record Answer(TimeSpan Sent, TimeSpan Latency, HttpStatusCode Status, string? ServedBy, string? Error, string? Version, bool HasNaN);
}
