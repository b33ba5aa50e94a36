using System.Collections.Concurrent;

namespace Fleet.Server.Security;

/// <summary>
/// Requests per window per key (a token's name, else the client's address), by the generic cell rate algorithm: each
/// request moves the key's theoretical arrival time on by window/limit, and a request that would move it more than one
/// window ahead of now is refused with the wait until it would not. Exact on the injected clock, no timers; idle keys
/// are dropped once the map grows past <see cref="MaxKeys"/>.
/// </summary>
internal sealed class RateLimiter(int limit, TimeSpan window, TimeProvider time)
{
    public const int MaxKeys = 10_000;

    private readonly ConcurrentDictionary<string, long> _arrivals = new(StringComparer.Ordinal);
    private readonly long _interval = window.Ticks / Math.Max(1, limit);

    public int Limit { get; } = limit;

    public TimeSpan Window { get; } = window;

    /// <summary>Null when allowed; else how long to wait.</summary>
    public TimeSpan? TryAcquire(string key)
    {
        var now = time.GetUtcNow().UtcTicks;
        while (true)
        {
            var found = _arrivals.TryGetValue(key, out var stored);
            var next = Math.Max(found ? stored : now, now) + _interval;
            if (next - now > Window.Ticks)
            {
                return TimeSpan.FromTicks(next - now - Window.Ticks);
            }

            if (found ? _arrivals.TryUpdate(key, next, stored) : _arrivals.TryAdd(key, next))
            {
                if (!found && _arrivals.Count > MaxKeys)
                {
                    Prune(now);
                }

                return null;
            }
        }
    }

    private void Prune(long now)
    {
        foreach (var (key, arrival) in _arrivals)
        {
            if (arrival <= now)
            {
                _arrivals.TryRemove(new KeyValuePair<string, long>(key, arrival));
            }
        }
    }
}

/// <summary>At most <see cref="Limit"/> requests in flight; 0 turns it off.</summary>
internal sealed class ConcurrencyGate(int limit)
{
    private int _inFlight;

    public int Limit { get; } = limit;

    public bool TryEnter()
    {
        if (Limit <= 0)
        {
            return true;
        }

        if (Interlocked.Increment(ref _inFlight) <= Limit)
        {
            return true;
        }

        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    public void Exit()
    {
        if (Limit > 0)
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
