using System.CommandLine;
using Fleet.Cli.Http;
using static Fleet.Cli.Format;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet trace REQUEST_ID</c>: what one prediction went through.</summary>
internal static class TraceCommand
{
    public static Command Create(CommandRunner runner)
    {
        var id = new Argument<string>("REQUEST_ID") { Description = "The request's id (the \"id\" of the inference request and response)" };
        var trace = new Command("trace", "Show what one prediction went through: model, version, host, forwarding, input and output checks, " +
            "fallback, latency, its label when one arrived, the signals naming it (GET /api/v1/traces/REQUEST_ID)") { id };
        runner.SetAction(trace, async (pr, s) =>
        {
            var t = await s.Api.GetAsync($"/api/v1/traces/{FleetApiClient.Segment(pr.GetValue(id)!)}", s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(t);
                return;
            }

            var o = s.Out;
            o.WriteLine($"request {Str(t, "id")}: {Str(t, "model")} version {Str(t, "version")} on {Str(t, "host")}" +
                (StrOrNull(t, "forwarded_by") is { } by ? $" (forwarded by {by})" : "") + $", {Time(Str(t, "at"))}");
            o.WriteLine($"  outcome    {Str(t, "outcome")} in {Num(t, "latency_ms")} ms on {Str(t, "provider")}");
            var checks = Arr(t, "input_checks");
            o.WriteLine($"  input      {(checks.Count == 0 ? "passed" : $"{checks.Count} flagged")}; {Num(t, "outlier_rows")} outlier row(s)");
            foreach (var check in checks)
            {
                o.WriteLine($"             {check}");
            }

            o.WriteLine($"  output     {Str(t, "output_check")}" + (StrOrNull(t, "fallback") is { } f ? $"; answered by the fallback: {f} (version {Str(t, "answered_by")})" : ""));
            var label = t?["label"];
            o.WriteLine($"  label      {(label is null ? "none yet" : $"{Num(label, "value")} (at {Time(Str(label, "labeled_at"))})")}");
            var signals = Arr(t, "signals");
            o.WriteLine($"  signals    {(signals.Count == 0 ? "none name it" : string.Join(", ", signals.Select(x => x?.ToString())))}");
            o.WriteLine($"  trace id   {OrDash(StrOrNull(t, "trace_id"))}");
        });
        return trace;
    }
}
