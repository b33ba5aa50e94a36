using System.CommandLine;
using Fleet.Cli.Http;
using static Fleet.Cli.Format;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet quality MODEL [--version V] [--window 24h]</c>: realised, estimated and reference quality.</summary>
internal static class QualityCommand
{
    public static Command Create(CommandRunner runner)
    {
        var model = new Argument<string>("MODEL") { Description = "Model name" };
        var version = new Option<string?>("--version") { Description = "Version to report on (default: the live version)", HelpName = "VERSION" };
        var window = new Option<string?>("--window", "-w") { Description = "Labels of predictions made in this window (default: the model's quality_window)", HelpName = "30m|24h|7d" };
        var quality = new Command("quality", "Show quality from joined labels, the label-free estimate and the reference (GET /api/v1/models/MODEL/quality)")
        {
            model, version, window,
        };
        runner.SetAction(quality, async (pr, s) =>
        {
            var path = $"/api/v1/models/{FleetApiClient.Segment(pr.GetValue(model)!)}/quality"
                + FleetApiClient.Query(("version", pr.GetValue(version)), ("window", pr.GetValue(window)));
            var response = await s.Api.GetAsync(path, s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            s.Out.WriteLine($"{Str(response, "model")} version {Str(response, "version")}: {Str(response, "verdict")}");
            s.Out.WriteLine($"  {Str(response, "reason")}");
            var table = new Table("METRIC", "LIVE", "ESTIMATED", "REFERENCE");
            table.Add("labels joined", Num(response, "labels_joined"), "", "");
            table.Add("labels unknown/expired", Num(response, "labels_unknown"), "", "");
            table.Add("accuracy", OrDash(Num(response, "accuracy")), OrDash(Num(response, "estimated_accuracy")), OrDash(Num(response, "reference_accuracy")));
            table.Add("f1", OrDash(Num(response, "f1")), "", OrDash(Num(response, "reference_f1")));
            table.Add("log loss", OrDash(Num(response, "log_loss")), "", "");
            table.Add("mae", OrDash(Num(response, "mae")), "", OrDash(Num(response, "reference_mae")));
            table.Add("rmse", OrDash(Num(response, "rmse")), "", OrDash(Num(response, "reference_rmse")));
            table.WriteTo(s.Out);
            if (response?["calibration"] is { } c)
            {
                s.Out.WriteLine($"  calibration on the reference: ECE {Num(c, "ece_before")} raw, {Num(c, "ece_after")} calibrated ({Num(c, "count")} rows)");
            }
        });
        return quality;
    }
}
