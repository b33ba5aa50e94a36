using System.Threading.Channels;
using Fleet.Inference.Tensors;
using Fleet.Server.Serving;
using Fleet.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Monitoring;

/// <summary>
/// The hot path's only monitoring cost: a served prediction's tensors (already allocated for the response,
/// never reused) are queued by reference; <see cref="MonitorFlushService"/> does the rest off the request path.
/// A full queue drops the newest and counts it (fleet_monitor_dropped), it never blocks a request.
/// </summary>
internal sealed class PredictionTap(IOptions<MonitoringOptions> options, FleetMetrics metrics)
{
    private readonly Channel<CapturedPrediction> _queue = Channel.CreateBounded<CapturedPrediction>(
        new BoundedChannelOptions(options.Value.CaptureQueue) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public ChannelReader<CapturedPrediction> Reader => _queue.Reader;

    public void Capture(ServedModel served, VersionGuards guards, string id, Tensor[] inputs, Tensor[] outputs)
    {
        // Wait mode: TryWrite returns false when full (DropWrite would report success and drop silently).
        if (!_queue.Writer.TryWrite(new CapturedPrediction(served.Model, served.Version, guards, id, inputs, outputs)))
        {
            metrics.RecordMonitorDropped(served.Model, "queue_full", 1);
        }
    }
}

internal readonly record struct CapturedPrediction(string Model, string Version, VersionGuards Guards, string Id, Tensor[] Inputs, Tensor[] Outputs);
