using System.Collections.Concurrent;
using Fleet.Inference.Tensors;
using Fleet.Server.Serving;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Monitoring;

/// <summary>
/// The hot path's only monitoring cost: a served prediction's tensors (already allocated for the response,
/// never reused) are queued by reference, lock-free; <see cref="MonitorFlushService"/> does the rest off the
/// request path. A full queue drops the newest and counts it (fleet_monitor_dropped, and a monitor_unhealthy signal
/// through <see cref="DropWatch"/>); it never blocks a request.
/// </summary>
internal sealed class PredictionTap(IOptions<MonitoringOptions> options, DropWatch drops, TimeProvider time)
{
    private readonly ConcurrentQueue<CapturedPrediction> _queue = new();
    private readonly int _capacity = options.Value.CaptureQueue;
    private int _count;

    public void Capture(ServedModel served, VersionGuards guards, string id, Tensor[] inputs, Tensor[] outputs)
    {
        if (Interlocked.Increment(ref _count) > _capacity)
        {
            Interlocked.Decrement(ref _count);
            drops.Dropped(served.Model, DropWatch.Tap, 1, time.GetUtcNow());
            return;
        }

        _queue.Enqueue(new CapturedPrediction(served.Model, served.Version, guards, id, inputs, outputs));
    }

    public bool TryRead(out CapturedPrediction captured)
    {
        if (!_queue.TryDequeue(out captured))
        {
            return false;
        }

        Interlocked.Decrement(ref _count);
        return true;
    }
}

internal readonly record struct CapturedPrediction(string Model, string Version, VersionGuards Guards, string Id, Tensor[] Inputs, Tensor[] Outputs);
