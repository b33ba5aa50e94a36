using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Fleet.Server.Telemetry;

/// <summary>Fleet's own instruments (meter "Fleet"), tagged by model and version; exported on /metrics.</summary>
internal sealed class FleetMetrics
{
    public const string MeterName = "Fleet";

    // One process-wide meter and set of instruments, never disposed. A meter per DI container
    // (IMeterFactory) breaks when several servers share a process (tests, the benchmark): OpenTelemetry
    // listens to every meter named "Fleet", and one server stopping would end the others' metric streams.
    private static readonly Meter SharedMeter = new(MeterName);

    private static readonly Counter<long> Requests = SharedMeter.CreateCounter<long>("fleet.inference.requests", unit: "{request}",
        description: "Inference requests by model, version and outcome (ok, fallback, bad_request, contract_rejected, input_not_runnable, invalid_output, unavailable, error)");

    private static readonly Histogram<double> Duration = SharedMeter.CreateHistogram<double>("fleet.inference.duration", unit: "s",
        description: "Inference latency from request parsed to response written",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });

    private static readonly Counter<long> Fallbacks = SharedMeter.CreateCounter<long>("fleet.inference.fallbacks", unit: "{request}",
        description: "Requests whose live answer failed its checks, by the fallback step that served them (last-known-good, default, none)");

    private static readonly Counter<long> Loads = SharedMeter.CreateCounter<long>("fleet.model.loads", unit: "{load}",
        description: "Model version loads on this silo by result (loaded, checksum_mismatch, failed)");

    private static readonly Counter<long> MonitorDropped = SharedMeter.CreateCounter<long>("fleet.monitor.dropped", unit: "{prediction}",
        description: "Predictions or rows the monitoring path could not keep, by model and reason (queue_full, store, ingest)");

    private static readonly Counter<long> Forwarded = SharedMeter.CreateCounter<long>("fleet.inference.forwarded", unit: "{attempt}",
        description: "Attempts to forward a request for a model not placed on this silo, by model, replica host and outcome (answered, connect_failed, timeout, server_error)");

    private static readonly Counter<long> AlertDeliveries = SharedMeter.CreateCounter<long>("fleet.alert.deliveries", unit: "{delivery}",
        description: "Attempts to deliver alerts, by sink (alertmanager, webhook-N) and outcome (delivered, failed)");

    // Every live server's alerts (tests and the benchmark host several in one process; each lists its own models).
    private static readonly ConcurrentDictionary<Alerting.AlertGauge, byte> Gauges = new();

    private static readonly ObservableGauge<int> Alerts = SharedMeter.CreateObservableGauge("fleet.alerts", ObserveAlerts, unit: "{alert}",
        description: "1 per pending or firing alert, by alertname, model, version, severity and alertstate (like Prometheus's ALERTS)");

    public static void Track(Alerting.AlertGauge gauge) => Gauges.TryAdd(gauge, 0);

    public static void Untrack(Alerting.AlertGauge gauge) => Gauges.TryRemove(gauge, out _);

    private static IEnumerable<Measurement<int>> ObserveAlerts() =>
        Gauges.Keys.SelectMany(g => g.Alerts)
            .Where(a => a.State is Abstractions.Alerting.AlertState.Pending or Abstractions.Alerting.AlertState.Firing)
            .Select(a => new Measurement<int>(1, new TagList
            {
                { "alertname", a.Name },
                { "model", a.Model },
                { "version", a.Labels.GetValueOrDefault("version", "") },
                { "severity", a.Labels.GetValueOrDefault("severity", "") },
                { "alertstate", a.State == Abstractions.Alerting.AlertState.Firing ? "firing" : "pending" },
            }));

    private static readonly Counter<long> TracesEvicted = SharedMeter.CreateCounter<long>("fleet.traces.evicted", unit: "{trace}",
        description: "Request traces this silo dropped to stay within Fleet:Tracing:Capacity and Retention (oldest first)");

    public void RecordTraceEvicted() => TracesEvicted.Add(1);

    public void RecordAlertDelivery(string sink, string outcome) =>
        AlertDeliveries.Add(1, new TagList { { "sink", sink }, { "outcome", outcome } });

    public void RecordForward(string model, string replica, string outcome) =>
        Forwarded.Add(1, new TagList { { "model", model }, { "replica", replica }, { "outcome", outcome } });

    public void RecordMonitorDropped(string model, string reason, long count) =>
        MonitorDropped.Add(count, new TagList { { "model", model }, { "reason", reason } });

    public void RecordRequest(string model, string version, string outcome, double seconds)
    {
        var tags = new TagList { { "model", model }, { "version", version }, { "outcome", outcome } };
        Requests.Add(1, tags);
        if (outcome == "ok")
        {
            Duration.Record(seconds, new TagList { { "model", model }, { "version", version } });
        }
    }

    public void RecordFallback(string model, string version, string step) =>
        Fallbacks.Add(1, new TagList { { "model", model }, { "version", version }, { "step", step } });

    public void RecordLoad(string model, string version, string result) =>
        Loads.Add(1, new TagList { { "model", model }, { "version", version }, { "result", result } });
}
