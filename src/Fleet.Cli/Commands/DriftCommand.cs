using System.CommandLine;
using Fleet.Cli.Http;
using static Fleet.Cli.Format;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet drift MODEL [--version V] [--run]</c>: the latest drift verdicts, a table per feature.</summary>
internal static class DriftCommand
{
    public static Command Create(CommandRunner runner)
    {
        var model = new Argument<string>("MODEL") { Description = "Model name" };
        var version = new Option<string?>("--version") { Description = "Version to report on (default: the live version)", HelpName = "VERSION" };
        var run = new Option<bool>("--run") { Description = "Run the detectors now first (POST /api/v1/models/MODEL/drift/run)" };
        var drift = new Command("drift", "Show drift verdicts per feature and overall (GET /api/v1/models/MODEL/drift)") { model, version, run };
        runner.SetAction(drift, async (pr, s) =>
        {
            var name = FleetApiClient.Segment(pr.GetValue(model)!);
            if (pr.GetValue(run))
            {
                await s.Api.PostJsonAsync($"/api/v1/models/{name}/drift/run", new System.Text.Json.Nodes.JsonObject(), s.CancellationToken);
            }

            var response = await s.Api.GetAsync($"/api/v1/models/{name}/drift" + FleetApiClient.Query(("version", pr.GetValue(version))), s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            var checkedAt = StrOrNull(response, "checked_at");
            s.Out.WriteLine($"{Str(response, "model")} version {Str(response, "version")}: {Str(response, "overall")}" +
                (checkedAt is null ? " (no detector run yet)" : $" at {Time(checkedAt)}"));
            var reasons = Arr(response, "reasons").Select(r => r?.ToString()).ToArray();
            if (reasons.Length > 1)
            {
                // One line per component that fired, drift reasons first.
                foreach (var reason in reasons)
                {
                    s.Out.WriteLine($"  - {reason}");
                }
            }
            else
            {
                s.Out.WriteLine($"  {Str(response, "reason")}");
            }
            var reference = response?["reference"];
            s.Out.WriteLine($"  reference: {(reference is null ? "none" : $"{Str(reference, "source")}, {Num(reference, "rows")} rows")}; " +
                $"window: {Num(response?["window"], "current")} current rows vs {Num(response?["window"], "reference")} reference rows");
            var table = new Table("FEATURE", "TEST", "STATISTIC", "P_VALUE", "EFFECT", "VERDICT");
            foreach (var feature in Arr(response, "features"))
            {
                table.Add(Str(feature, "name"), Str(feature, "test"), OrDash(Num(feature, "statistic")), OrDash(Num(feature, "adjusted_p_value")),
                    OrDash(Num(feature, "effect_size")), Str(feature, "verdict"));
            }

            if (table.RowCount > 0)
            {
                table.WriteTo(s.Out);
            }

            if (response?["multivariate"] is { } m)
            {
                s.Out.WriteLine($"  multivariate (PCA reconstruction): {Str(m, "verdict")}, error {Num(m, "error")} (band {Num(m, "lower")}..{Num(m, "upper")})");
            }

            if (response?["sequential"] is { } q)
            {
                s.Out.WriteLine($"  sequential (CUSUM): {(q["alarm"]?.GetValue<bool>() == true ? "alarm on " + string.Join(", ", Arr(q, "alarm_columns").Select(c => c?.ToString())) : "no alarm")}, " +
                    $"max {Num(q, "max_statistic")} / threshold {Num(q, "threshold")}");
            }
        });
        return drift;
    }
}
