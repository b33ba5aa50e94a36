using Fleet.Abstractions.Hosts;

namespace Fleet.Server.Health;

/// <summary>One loaded version as <see cref="HostHealth"/> sees it.</summary>
internal sealed record VersionStatus(string Model, string Version, VersionRole Role, VersionHealth Health);

/// <summary>
/// A host's status from its loaded versions (pure): <b>unhealthy</b> when a live version fails a hard check
/// (liveness, golden, artifact) or failed to load; <b>degraded</b> when a last-known-good or on-demand version fails a
/// hard check, or any version fails latency or provider; <b>healthy</b> otherwise. One reason per failing check.
/// </summary>
internal static class HostHealth
{
    public static (HostStatus Status, string[] Reasons) Evaluate(IReadOnlyList<VersionStatus> versions, IReadOnlyList<string> loadFailures)
    {
        var status = loadFailures.Count > 0 ? HostStatus.Unhealthy : HostStatus.Healthy;
        var reasons = new List<string>(loadFailures);
        foreach (var v in versions.OrderBy(v => v.Model, StringComparer.Ordinal).ThenBy(v => v.Version, StringComparer.Ordinal))
        {
            foreach (var check in v.Health.Failing)
            {
                var counter = v.Health.Checks[check];
                var severity = ProbeChecks.IsHard(check) && v.Role == VersionRole.Live ? HostStatus.Unhealthy : HostStatus.Degraded;
                status = (HostStatus)Math.Max((int)status, (int)severity);
                reasons.Add($"model '{v.Model}' version '{v.Version}' ({v.Role.ToWire()}): {check} probe failing ({counter.ConsecutiveFailures} consecutive): {counter.Detail}");
            }
        }

        return (status, [.. reasons]);
    }
}
