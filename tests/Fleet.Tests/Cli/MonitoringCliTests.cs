using System.Text.Json.Nodes;
using Fleet.Cli;
using Fleet.Tests.Infrastructure;
using Fleet.Tests.Monitoring;

namespace Fleet.Tests.Cli;

/// <summary>fleet drift / feedback / quality / retrain / export against a real embedded server, with the names scripts rely on.</summary>
[Collection(ServerCollection.Name)]
[Trait(Speed.Trait, Speed.Server)]
public sealed class MonitoringCliTests(ServerFixture fixture)
{
    private Task<(int Exit, string Out, string Error)> Fleet(params string[] args) => FleetCommand.RunAsync(fixture.Server, null, args);

    [Fact]
    public async Task Drift_feedback_quality_and_export_work_as_a_script_runs_them()
    {
        var model = await MonitoredModel.CreateAsync(fixture.Server);
        Assert.Equal(0, (await Fleet("config", "set", model.Name, "drift_window=200", "drift_min_samples=50", "drift_interval=1h")).Exit);
        var rows = MonitoredModel.Data.Rows.Take(200).ToArray();
        await model.InferAsync("cli", rows, (v, c) => c == 0 ? v * 1.6 : v);
        await model.FlushAsync();

        var drift = await Fleet("drift", model.Name, "--run", "--output", "json");
        Assert.Equal((0, ""), (drift.Exit, drift.Error));
        var json = JsonNode.Parse(drift.Out)!;
        // One check: the shift is suspected, not confirmed (that takes 3 checks in a row, docs/drift.md).
        Assert.Equal("warning", (string)json["overall"]!);
        Assert.NotNull(json["checked_at"]);
        Assert.Equal((426, 200), ((int)json["window"]!["reference"]!, (int)json["window"]!["current"]!));
        var radius = json["features"]!.AsArray().Single(f => (string)f!["name"]! == "mean_radius")!;
        Assert.Equal(("ks", "suspected", "1 of 3 checks"), ((string)radius["test"]!, (string)radius["verdict"]!, (string)radius["confirmation"]!));
        foreach (var key in new[] { "name", "test", "statistic", "p_value", "effect_size", "verdict" })
        {
            Assert.True(radius.AsObject().ContainsKey(key), key);
        }

        var table = await Fleet("drift", model.Name);
        Assert.Equal(0, table.Exit);
        Assert.Contains("FEATURE", table.Out);
        Assert.Matches(@"mean_radius\s+ks\s+\S+\s+\S+\s+\S+\s+suspected", table.Out);

        using var directory = new TempDirectory();
        var labels = Path.Combine(directory.Path, "labels.csv");
        await File.WriteAllLinesAsync(labels, ["id,label", .. MonitoredModel.Data.Labels.Take(200).Select((l, i) => $"cli-{i},{l}"), "cli-unknown,0"]);
        var feedback = await Fleet("feedback", model.Name, labels, "--output", "json");
        Assert.Equal((0, ""), (feedback.Exit, feedback.Error));
        Assert.Equal((201L, 200L, 1L), ((long)JsonNode.Parse(feedback.Out)!["received"]!, (long)JsonNode.Parse(feedback.Out)!["joined"]!, (long)JsonNode.Parse(feedback.Out)!["unknown"]!));

        var quality = JsonNode.Parse((await Fleet("quality", model.Name, "--output", "json")).Out)!;
        Assert.Equal(200, (int)quality["labels_joined"]!);
        foreach (var key in new[] { "accuracy", "estimated_accuracy", "reference_accuracy" })
        {
            Assert.True(quality[key] is not null, key);
        }

        var export = await Fleet("export", model.Name, "--since", "1h", "--out", directory.Path);
        Assert.Equal((0, ""), (export.Exit, export.Error));
        var file = Path.Combine(directory.Path, $"{model.Name}-1.csv");
        Assert.Equal(201, File.ReadAllLines(file).Length);

        var bad = await Fleet("feedback", model.Name, Path.Combine(directory.Path, "missing.csv"));
        Assert.Equal(2, bad.Exit);
        Assert.Contains("file not found", bad.Error);
        var list = await Fleet("retrain", "list", model.Name, "--output", "json");
        Assert.Equal(0, list.Exit);
        Assert.IsType<JsonArray>(JsonNode.Parse(list.Out));
    }
}
