using System.Threading.Channels;

namespace Fleet.Server.Hosting;

/// <summary>
/// A background loop's pause: it ends after a period, or as soon as <see cref="Set"/> is called (calls made while
/// nobody waits are kept, and coalesce into one wake-up).
/// </summary>
internal sealed class WakeUp
{
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Set() => _signal.Writer.TryWrite(true);

    /// <summary>Waits <paramref name="period"/> or until <see cref="Set"/>; returns early, without throwing, when <paramref name="stoppingToken"/> fires.</summary>
    public async Task WaitAsync(TimeSpan period, TimeProvider time, CancellationToken stoppingToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await Task.WhenAny(Task.Delay(period, time, wait.Token), _signal.Reader.WaitToReadAsync(wait.Token).AsTask());
        await wait.CancelAsync();
        _signal.Reader.TryRead(out _);
    }
}
