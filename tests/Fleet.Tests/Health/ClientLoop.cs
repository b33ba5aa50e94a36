using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Fleet.Tests.Health;

/// <summary>
/// A client that keeps sending the same inference request while a fault plays out, and records what every answer
/// was: status, the version that answered, whether it was a fallback, and whether "NaN" appeared in it.
/// </summary>
internal sealed class ClientLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public ClientLoop(HttpClient client, string model, string request)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var response = await client.PostAsync($"v2/models/{model}/infer", new StringContent(request));
                var body = await response.Content.ReadAsStringAsync();
                Answers.Enqueue(new Answer(_clock.Elapsed, response.StatusCode,
                    response.Headers.TryGetValues("Fleet-Model-Version", out var v) ? v.Single() : null,
                    response.Headers.Contains("Fleet-Fallback"), body.Contains("NaN", StringComparison.Ordinal)));
                await Task.Delay(20);
            }
        });
    }

    public ConcurrentQueue<Answer> Answers { get; } = new();

    /// <summary>Since the loop started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    internal sealed record Answer(TimeSpan At, HttpStatusCode Status, string? Version, bool Fallback, bool HasNaN);
}
