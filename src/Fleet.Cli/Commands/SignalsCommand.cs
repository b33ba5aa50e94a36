using System.CommandLine;
using System.Text.Json.Nodes;
using Fleet.Cli.Http;
using static Fleet.Cli.Format;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet signals [MODEL] [--kind K] [--since 1h] [--follow]</c>: the signal stream, newest first (or followed, oldest first).</summary>
internal static class SignalsCommand
{
    /// <summary>How often --follow asks for new signals.</summary>
    public static readonly TimeSpan FollowInterval = TimeSpan.FromSeconds(2);

    public static Command Create(CommandRunner runner)
    {
        var model = new Argument<string?>("MODEL") { Description = "Only this model's signals (default: all)", Arity = ArgumentArity.ZeroOrOne };
        var kind = new Option<string?>("--kind") { Description = "Only these kinds, comma-separated (drift, probe_failed, decision, ...)", HelpName = "KIND" };
        var since = new Option<string?>("--since") { Description = "Only signals this recent (e.g. 30m, 24h)", HelpName = "WINDOW" };
        var limit = new Option<int?>("--limit") { Description = "At most this many (default 100)", HelpName = "N" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new signals as they come (every 2 s) until interrupted" };
        var signals = new Command("signals", "Show the signal stream: every detector's, probe's and decision's typed events, newest first " +
            "(GET /api/v1/signals); --output json prints the list (one JSON object per line with --follow)") { model, kind, since, limit, follow };
        runner.SetAction(signals, async (pr, s) =>
        {
            string Path(string? window) => "/api/v1/signals" + FleetApiClient.Query(("model", pr.GetValue(model)), ("kind", pr.GetValue(kind)),
                ("since", window), ("limit", pr.GetValue(limit)?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var response = await s.Api.GetAsync(Path(pr.GetValue(since)), s.CancellationToken) as JsonArray ?? [];
            if (!pr.GetValue(follow))
            {
                if (s.Json)
                {
                    s.WriteJson(response);
                    return;
                }

                Write(s.Out, response.Reverse().ToList(), header: true);
                return;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var first = true;
            while (!s.CancellationToken.IsCancellationRequested)
            {
                var fresh = response.Reverse().Where(x => seen.Add(Str(x, "id"))).ToList();
                if (s.Json)
                {
                    fresh.ForEach(x => s.Out.WriteLine(CompactJson(x)));
                }
                else
                {
                    Write(s.Out, fresh, header: first);
                }

                s.Out.Flush();
                first = false;
                try
                {
                    await Task.Delay(FollowInterval, s.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                response = await s.Api.GetAsync(Path("1h"), s.CancellationToken) as JsonArray ?? [];
            }
        });
        return signals;
    }

    private static void Write(TextWriter output, List<JsonNode?> list, bool header)
    {
        if (list.Count == 0 && header)
        {
            output.WriteLine("no signals");
            return;
        }

        foreach (var x in list)
        {
            var where = string.Join(" ", new[] { Str(x, "model"), StrOrNull(x, "version") is { } v ? "v" + v : null, StrOrNull(x, "host") is { } h ? "on " + h : null }.Where(p => p is not null));
            var subject = StrOrNull(x, "subject") is { } sub ? $" {sub}" : "";
            output.WriteLine($"{Time(Str(x, "at"))}  {Str(x, "id"),-8} {Str(x, "kind")}{subject}  {where}: {Str(x, "reason")}");
        }
    }
}
