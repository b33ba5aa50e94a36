using System.Globalization;
using System.Text;
using Fleet.Abstractions.Alerting;

namespace Fleet.Server.Alerting;

/// <summary>
/// An incident as a post-mortem draft in Markdown (pure): summary, impact, timeline, detection (what fired first and
/// when, with time to detect), mitigation (with time to mitigate), the root-cause evidence Fleet holds, and an
/// action-items section left for people.
/// </summary>
internal static class PostmortemWriter
{
    public static string Write(Incident incident, IReadOnlyList<VersionImpact> impact, DateTimeOffset now)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Post-mortem {incident.Id}: {incident.Title}");
        md.AppendLine();
        md.AppendLine("## Summary");
        md.AppendLine();
        md.AppendLine($"- Model: `{incident.Model}`; versions: {List(incident.Versions)}; hosts: {List(incident.Hosts)}");
        md.AppendLine($"- Severity: {Word(incident.Severity)}; state: {Word(incident.State)}");
        md.AppendLine($"- Started (first evidence): {Time(incident.StartedAt)}");
        md.AppendLine($"- Detected: {Time(incident.DetectedAt)} (time to detect: {Span(incident.TimeToDetect)})");
        md.AppendLine($"- Acknowledged: {Time(incident.AcknowledgedAt)}");
        md.AppendLine($"- Mitigated: {Time(incident.MitigatedAt)} (time to mitigate: {Span(incident.TimeToMitigate)})");
        md.AppendLine($"- Resolved: {Time(incident.ResolvedAt)} (time to resolve: {Span(incident.TimeToResolve)})");
        md.AppendLine();
        md.AppendLine("## Impact");
        md.AppendLine();
        if (impact.Count == 0)
        {
            md.AppendLine("No traffic statistics were found for the affected versions.");
        }
        else
        {
            md.AppendLine($"Since the first evidence (the last {Span(impact[0].Window)}):");
            md.AppendLine();
            md.AppendLine("| Version | Requests | Fallbacks served | Errors | Errors by kind |");
            md.AppendLine("|---|---:|---:|---:|---|");
            foreach (var v in impact)
            {
                var kinds = v.Errors.Count == 0 ? "none" : string.Join(", ", v.Errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {e.Value}"));
                md.AppendLine($"| {v.Version} | {v.Requests} | {v.Fallbacks} | {v.ErrorCount} | {kinds} |");
            }
        }

        md.AppendLine();
        md.AppendLine("## Timeline");
        md.AppendLine();
        md.AppendLine("| Time (UTC) | Kind | What | Actor |");
        md.AppendLine("|---|---|---|---|");
        foreach (var e in incident.Timeline)
        {
            md.AppendLine($"| {Time(e.Time)} | {e.Kind} | {Cell(e.Summary)} | {e.Actor} |");
        }

        md.AppendLine();
        md.AppendLine("## Detection");
        md.AppendLine();
        var first = incident.Timeline.FirstOrDefault(e => e.Kind is "alert_firing" or "decision" or "signal");
        md.AppendLine(first is null
            ? $"Detected at {Time(incident.DetectedAt)}."
            : $"First to fire: {first.Kind} at {Time(first.Time)}: {first.Summary}");
        md.AppendLine();
        md.AppendLine($"Time to detect: {Span(incident.TimeToDetect)} (from the first evidence at {Time(incident.StartedAt)}).");
        md.AppendLine();
        md.AppendLine("## Mitigation");
        md.AppendLine();
        var actions = incident.Timeline.Where(e => e.Kind is "decision" or "mitigated").ToArray();
        foreach (var a in actions)
        {
            md.AppendLine($"- {Time(a.Time)}: {a.Summary}");
        }

        if (actions.Length == 0)
        {
            md.AppendLine("- No automatic action was taken.");
        }

        md.AppendLine();
        md.AppendLine(incident.TimeToMitigate is { } ttm
            ? $"Time to mitigate: {Span(ttm)}."
            : "Time to mitigate: not mitigated yet.");
        md.AppendLine();
        md.AppendLine("## Root-cause evidence");
        md.AppendLine();
        var evidence = incident.Timeline.Where(e => e.Kind is "alert_firing" or "signal").Select(e => e.Summary).Distinct().ToArray();
        foreach (var line in evidence)
        {
            md.AppendLine($"- {line}");
        }

        if (evidence.Length == 0)
        {
            md.AppendLine("- See the decisions above for the numbers the coordinator acted on.");
        }

        md.AppendLine();
        md.AppendLine("## Action items");
        md.AppendLine();
        md.AppendLine("- [ ] (for people to fill in)");
        md.AppendLine();
        md.AppendLine($"_Written by Fleet at {Time(now)}._");
        return md.ToString();
    }

    public static string Span(TimeSpan? span) => span is not { } s ? "n/a"
        : s.TotalSeconds < 120 ? s.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s"
        : s.TotalMinutes < 120 ? s.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min"
        : s.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + " h";

    private static string Time(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) ?? "not yet";

    private static string List(string[] values) => values.Length == 0 ? "none" : string.Join(", ", values.Select(v => $"`{v}`"));

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string Word<T>(T value) where T : struct, Enum => AlertPayloads.Word(value);
}
