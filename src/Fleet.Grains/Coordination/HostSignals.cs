using System.Globalization;
using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Hosts;
using Fleet.Grains.Hosts;

namespace Fleet.Grains.Coordination;

/// <summary>
/// <c>host_unhealthy</c> and <c>host_recovered</c> (pure): a host is unhealthy when membership says its silo is dead,
/// gone or shutting down, or its probe reports stopped coming (<see cref="HostLiveness"/>). What its probes say of the
/// versions it serves is signalled per version (<c>probe_failed</c>), not here. <paramref name="unhealthy"/> (persisted by
/// the caller) holds the hosts signalled and not recovered: each change is signalled once, and a host that leaves the
/// host list recovers (nothing is left to watch).
/// </summary>
public static class HostSignals
{
    public static List<FleetSignal> Transitions(Dictionary<string, DateTimeOffset> unhealthy, IReadOnlyCollection<string> known,
        IReadOnlyCollection<HostReport> reports, IReadOnlyDictionary<string, SiloStatus> members, DateTimeOffset now)
    {
        var signals = new List<FleetSignal>();
        var byId = reports.ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var host in known.Order(StringComparer.Ordinal))
        {
            var member = members.TryGetValue(host, out var s) ? s : (SiloStatus?)null;
            string? why;
            double age = -1;
            if (byId.TryGetValue(host, out var report))
            {
                var (_, reasons, membership) = HostLiveness.Evaluate(report, member, now);
                age = Math.Round((now - report.At).TotalSeconds, 1);
                why = membership != HostLiveness.Active || now - report.At > HostLiveness.StaleAfter(report) ? reasons.FirstOrDefault() ?? membership : null;
            }
            else
            {
                // No report since the coordinator (re)activated: only membership can say, and only that it is gone.
                if (member is not (null or SiloStatus.Dead))
                {
                    continue; // a member not heard from yet: its first report decides
                }

                why = $"gone: silo '{host}' is not an active member of the cluster and has not reported since the coordinator started";
            }

            var evidence = new Dictionary<string, double> { ["report_age_seconds"] = age };
            if (why is not null && !unhealthy.ContainsKey(host))
            {
                unhealthy[host] = now;
                signals.Add(new FleetSignal(SignalKind.HostUnhealthy, FleetSignal.FleetModel, null, now, $"host {host}: {why}", evidence, Host: host));
            }
            else if (why is null && unhealthy.Remove(host, out var since))
            {
                signals.Add(new FleetSignal(SignalKind.HostRecovered, FleetSignal.FleetModel, null, now,
                    $"host {host} reports again (unhealthy for {Seconds(now - since)})", evidence, Host: host));
            }
        }

        foreach (var host in unhealthy.Keys.Where(h => !known.Contains(h)).Order(StringComparer.Ordinal).ToArray())
        {
            unhealthy.Remove(host);
            signals.Add(new FleetSignal(SignalKind.HostRecovered, FleetSignal.FleetModel, null, now,
                $"host {host} left the host list (not heard from for Fleet:Coordinator:ForgetHostsAfter)", new Dictionary<string, double>(), Host: host));
        }

        return signals;
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
