using System.Collections.Concurrent;
using Fleet.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Tracing;

/// <summary>
/// This silo's recent request traces, by request id: at most <see cref="TracingOptions.Capacity"/>, each kept at most
/// <see cref="TracingOptions.Retention"/>; the oldest go first and are counted (<c>fleet_traces_evicted_total</c>), so
/// what is not found was either never here or is counted as gone. Lock-free on the request path: one enqueue and one
/// dictionary write per answered request.
/// </summary>
internal sealed class TraceLedger(IOptions<TracingOptions> options, FleetMetrics metrics, TimeProvider time)
{
    /// <summary>Input check findings kept per trace (the first ones; the count of outlier rows is kept whole).</summary>
    public const int MaxChecks = 10;

    private readonly ConcurrentDictionary<string, RequestTrace> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RequestTrace> _order = new();
    private long _evicted;

    public long Evicted => Interlocked.Read(ref _evicted);

    public int Count => _byId.Count;

    public void Record(RequestTrace trace)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        // A request id sent twice keeps its latest trace; the older one leaves with its queue entry.
        _byId[trace.Id] = trace;
        _order.Enqueue(trace);
        Trim(trace.At);
    }

    public RequestTrace? Find(string id)
    {
        Trim(time.GetUtcNow());
        return _byId.TryGetValue(id, out var trace) ? trace : null;
    }

    private void Trim(DateTimeOffset now)
    {
        var o = options.Value;
        while (_order.TryPeek(out var oldest) && (_order.Count > o.Capacity || now - oldest.At > o.Retention) && _order.TryDequeue(out oldest))
        {
            // Only the entry that is still current for its id counts as evicted (a re-sent id left an older one behind).
            if (_byId.TryRemove(new KeyValuePair<string, RequestTrace>(oldest.Id, oldest)))
            {
                Interlocked.Increment(ref _evicted);
                metrics.RecordTraceEvicted();
            }
        }
    }
}
