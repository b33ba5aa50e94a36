using Fleet.Abstractions.Alerting;
using Fleet.Abstractions.Coordination;
using Fleet.Server.Telemetry;

namespace Fleet.Server.Monitoring;

/// <summary>
/// The monitoring path's losses as signals, not only as a counter: predictions the tap could not queue
/// (<c>prediction-tap</c>), records the store refused (<c>prediction-store</c>) and rows the monitor grain did not take
/// (<c>monitor-ingest</c>) raise <c>monitor_unhealthy</c> for the model (component and this silo named), once per
/// episode, as a warning (the model is served; what drift and quality see is thinner); <see cref="QuietFor"/> without a further drop raises <c>monitor_recovered</c>. Every drop is also counted in
/// <c>fleet_monitor_dropped_total</c>. Thread-safe: the tap records from request threads.
/// </summary>
internal sealed class DropWatch(FleetMetrics metrics)
{
    public const string Tap = "prediction-tap";
    public const string Store = "prediction-store";
    public const string Ingest = "monitor-ingest";

    /// <summary>How long without a drop before a component counts as recovered.</summary>
    public static readonly TimeSpan QuietFor = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Model, string Component), Episode> _episodes = [];

    /// <summary>Counts a loss (metric reason: queue_full, store or ingest) and remembers it for <see cref="Due"/>.</summary>
    public void Dropped(string model, string component, long count, DateTimeOffset now)
    {
        metrics.RecordMonitorDropped(model, component switch { Tap => "queue_full", Store => "store", _ => "ingest" }, count);
        lock (_lock)
        {
            var episode = _episodes.TryGetValue((model, component), out var e) ? e : new Episode();
            episode.Pending += count;
            episode.Total += count;
            episode.LastDrop = now;
            _episodes[(model, component)] = episode;
        }
    }

    /// <summary>
    /// The signals due now: an episode's first drops, and the end of episodes quiet for <see cref="QuietFor"/>. Nothing
    /// changes until <see cref="Delivered"/> says the coordinator has one: an undelivered alarm is due again next time.
    /// </summary>
    public List<FleetSignal> Due(DateTimeOffset now, string host)
    {
        var signals = new List<FleetSignal>();
        lock (_lock)
        {
            foreach (var ((model, component), episode) in _episodes)
            {
                if (!episode.Raised && episode.Pending > 0)
                {
                    signals.Add(new FleetSignal(SignalKind.MonitorUnhealthy, model, null, now,
                        $"{component} on {host} dropped {episode.Pending} of {model}'s predictions or rows (drift and quality see less than was served)",
                        new Dictionary<string, double> { ["dropped"] = episode.Pending }, host, Severity.Warning, Subject: component));
                }
                else if (episode.Raised && now - episode.LastDrop >= QuietFor)
                {
                    signals.Add(new FleetSignal(SignalKind.MonitorRecovered, model, null, now,
                        $"{component} on {host}: no drop for {QuietFor.TotalSeconds:0} s ({episode.Total} dropped in the episode)",
                        new Dictionary<string, double> { ["dropped"] = episode.Total }, host, Subject: component));
                }
            }
        }

        return signals;
    }

    /// <summary>The coordinator has <paramref name="signal"/> (one of <see cref="Due"/>'s): its episode moves on.</summary>
    public void Delivered(FleetSignal signal)
    {
        lock (_lock)
        {
            var key = (signal.Model, signal.Subject!);
            if (!_episodes.TryGetValue(key, out var episode))
            {
                return;
            }

            if (signal.Kind == SignalKind.MonitorRecovered)
            {
                _episodes.Remove(key);
            }
            else
            {
                episode.Raised = true;
                episode.Pending -= (long)signal.Evidence["dropped"];
            }
        }
    }

    private sealed class Episode
    {
        public long Pending { get; set; }

        public long Total { get; set; }

        public DateTimeOffset LastDrop { get; set; }

        public bool Raised { get; set; }
    }
}
