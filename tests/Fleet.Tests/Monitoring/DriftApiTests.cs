using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Monitoring;

[Collection(ServerCollection.Name)]
[Trait(Speed.Trait, Speed.Server)]
public sealed class DriftApiTests(ServerFixture fixture)
{
    private FleetServer Server => fixture.Server;

    [Fact]
    public async Task Rows_like_the_reference_give_no_drift_and_scaled_rows_give_drift_with_evidence()
    {
        var model = await MonitoredModel.CreateAsync(Server, settings: new { drift_window = "600", drift_interval = "1h" });
        var before = await Server.GetJsonAsync($"api/v1/models/{model.Name}/drift");
        Assert.Equal("insufficient-data", (string)before["overall"]!);
        Assert.Equal(("upload", 426), ((string)before["reference"]!["source"]!, (int)before["reference"]!["rows"]!));

        // In a seeded random order: the file is sorted by class, which the sequential detector rightly calls a change.
        await model.InferAsync("same", Shuffled());
        var same = await model.RunDriftAsync();
        Assert.True("no-drift" == (string)same["overall"]!, same["reasons"]!.ToJsonString());
        Assert.Equal((426, 569), ((int)same["window"]!["reference"]!, (int)same["window"]!["current"]!));
        var features = same["features"]!.AsArray();
        Assert.Equal(31, features.Count);
        Assert.Equal("__output__", (string)features[^1]!["name"]!);
        Assert.All(features, f => Assert.Equal("no-drift", (string)f!["verdict"]!));
        Assert.Equal(("mean_radius", "ks"), ((string)features[0]!["name"]!, (string)features[0]!["test"]!));

        // Every feature x1.3: the inputs and the predictions move; suspected on the first checks, confirmed on the third in a row.
        var checks = await model.InferCheckedAsync("scaled", 600, 4, (v, _) => v * 1.3);
        Assert.Equal(["warning", "warning", "drift", "drift"], MonitoredModel.Overall(checks, "1"));
        var scaled = await Server.GetJsonAsync($"api/v1/models/{model.Name}/drift");
        Assert.Equal("drift", (string)scaled["overall"]!);
        Assert.Contains("(confirmed on 3 checks in a row)", (string)scaled["reason"]!);
        var radius = scaled["features"]!.AsArray().Single(f => (string)f!["name"]! == "mean_radius")!;
        Assert.Equal("drift", (string)radius["verdict"]!);
        Assert.True((double)radius["adjusted_p_value"]! < 0.05 && (double)radius["effect_size"]! >= 0.1, radius.ToJsonString());
        Assert.Equal(600, (int)scaled["window"]!["current"]!);
        var history = scaled["history"]!.AsArray();
        Assert.Equal(["drift", "drift", "warning", "warning", "no-drift"], history.Select(h => (string)h!["overall"]!).ToArray());
        Assert.Equal("confirmed", (string)radius["confirmation"]!);

        // Newest first: the drift, then the retraining request it opened (drift is a default trigger).
        var signals = (await Server.GetJsonAsync($"api/v1/signals?model={model.Name}")).AsArray();
        Assert.Equal(["retrain_requested", "drift"], signals.Select(s => (string)s!["kind"]!).ToArray());
        Assert.Equal("1", (string)signals[1]!["version"]!);
    }

    [Fact]
    public async Task One_feature_scaled_by_135_is_an_overall_drift_on_its_own_with_each_component_listed()
    {
        // Issue 12: mean radius x1.35 alone (1 of 30 features) read "no-drift, below the 50% share" for the whole run.
        var model = await MonitoredModel.CreateAsync(Server, settings: new { drift_window = "600", drift_interval = "1h" });
        var checks = await model.InferCheckedAsync("radius", 600, 3, (v, column) => column == 0 ? v * 1.35 : v);
        Assert.Equal(["warning", "warning", "drift"], MonitoredModel.Overall(checks, "1"));
        var drift = await Server.GetJsonAsync($"api/v1/models/{model.Name}/drift");
        Assert.Equal("drift", (string)drift["overall"]!);
        var reasons = drift["reasons"]!.AsArray().Select(r => (string)r!).ToArray();
        Assert.StartsWith("feature 'mean_radius' drifted with a large effect (ks p=", reasons[0]);
        Assert.EndsWith("at least 5x the 0.1 threshold) (confirmed on 3 checks in a row)", reasons[0]);
        Assert.Equal(string.Join("; ", reasons), (string)drift["reason"]!);
        var radius = drift["features"]!.AsArray().Single(f => (string)f!["name"]! == "mean_radius")!;
        Assert.True((double)radius["effect_size"]! >= 0.5, radius.ToJsonString());

        // A drift verdict raises the same signal and retraining trigger as before.
        var signals = (await Server.GetJsonAsync($"api/v1/signals?model={model.Name}")).AsArray();
        Assert.Equal(["retrain_requested", "drift"], signals.Select(s => (string)s!["kind"]!).ToArray());
        Assert.Equal((string)drift["reason"]!, (string)signals[1]!["reason"]!);
    }

    [Fact]
    public async Task An_upstream_unit_change_of_one_feature_is_an_overall_drift_and_the_contract_flags_every_row()
    {
        // Issue 12: mean area divided by 100 read "7 of 30 features drifted ... below the 50% share", overall no-drift.
        var model = await MonitoredModel.CreateAsync(Server, settings: new { drift_window = "600", drift_interval = "1h" });
        var checks = await model.InferCheckedAsync("area", 600, 3, (v, column) => column == 3 ? v / 100 : v);
        Assert.Equal("drift", MonitoredModel.Overall(checks, "1")[^1]);
        var drift = await Server.GetJsonAsync($"api/v1/models/{model.Name}/drift");
        Assert.Contains(drift["reasons"]!.AsArray().Select(r => (string)r!), r => r.StartsWith("feature 'mean_area' drifted with a large effect (ks p=", StringComparison.Ordinal));

        var row = MonitoredModel.Data.Rows[0].Select((v, c) => c == 3 ? v / 100 : v).ToArray();
        var (status, body) = await Server.PostJsonAsync($"v2/models/{model.Name}/infer", new
        {
            inputs = new[] { new { name = "input", shape = new[] { 1, 30 }, datatype = "FP32", data = row } },
        });
        Assert.Equal(System.Net.HttpStatusCode.OK, status); // flag mode: served, the violation in the response
        Assert.Contains("mean_area", body!["parameters"]!["fleet_violations"]!.ToJsonString());
    }

    [Fact]
    public async Task A_staged_version_asked_for_by_id_is_judged_on_its_own_rows_but_opens_no_retraining_request()
    {
        var model = await MonitoredModel.CreateAsync(Server, settings: new { drift_window = "300", drift_interval = "1h" });
        await Server.UploadWithReferenceAsync(model.Name, Repo.Sample("breast-cancer", "model.onnx"), Repo.Sample("breast-cancer", "reference_labeled.csv"), "2", "target");
        var checks = await model.InferCheckedAsync("staged", 300, 3, (v, _) => v * 1.5, version: "2");
        Assert.Equal(["warning", "warning", "drift"], MonitoredModel.Overall(checks, "2"));
        Assert.Equal([("1", "insufficient-data"), ("2", "drift")], checks[^1]
            .Select(r => ((string)r!["version"]!, (string)r!["overall"]!)).OrderBy(r => r.Item1).ToArray());
        Assert.Equal("drift", (string)(await Server.GetJsonAsync($"api/v1/models/{model.Name}/drift?version=2"))["overall"]!);
        Assert.Empty((await Server.GetJsonAsync($"api/v1/models/{model.Name}/retrain")).AsArray());

        // Its traffic stopped: the next run judges the live version only.
        var (_, runs) = await Server.PostJsonAsync($"api/v1/models/{model.Name}/drift/run", new { });
        Assert.Equal(["1"], runs!.AsArray().Select(r => (string)r!["version"]!).ToArray());
    }

    [Fact]
    public async Task Below_the_minimum_sample_size_the_features_are_insufficient_data_and_only_the_sequential_detector_speaks()
    {
        var model = await MonitoredModel.CreateAsync(Server, settings: new { drift_min_samples = "100" });
        await model.InferAsync("few", MonitoredModel.Data.Rows.Take(40).ToArray(), (v, _) => v * 2);
        var drift = await model.RunDriftAsync();
        // 40 rows doubled: too few for any test, but the CUSUM (which needs no minimum) alarms: a warning, never hidden.
        Assert.Equal("warning", (string)drift["overall"]!);
        Assert.StartsWith("sequential fired, not confirmed: CUSUM alarm on ", (string)Assert.Single(drift["reasons"]!.AsArray())!);
        Assert.All(drift["features"]!.AsArray(), f => Assert.Equal("insufficient-data", (string)f!["verdict"]!));
        Assert.Null(drift["features"]!.AsArray()[0]!["p_value"]);
    }

    [Fact]
    public async Task Without_an_uploaded_reference_the_first_live_rows_become_it()
    {
        var model = await MonitoredModel.CreateAsync(Server, labeledReference: false, settings: new { reference_rows = "200" });
        await model.InferAsync("first", MonitoredModel.Data.Rows.Take(150).ToArray());
        var pending = await model.RunDriftAsync();
        Assert.Equal("insufficient-data", (string)pending["overall"]!);
        Assert.Equal(("pending", 150), ((string)pending["reference"]!["source"]!, (int)pending["reference"]!["pending_rows"]!));
        Assert.Contains("150 of 200 live rows", (string)pending["reason"]!);

        await model.InferAsync("rest", MonitoredModel.Data.Rows.Skip(150).ToArray());
        var drift = await model.RunDriftAsync();
        Assert.Equal(("live", 200), ((string)drift["reference"]!["source"]!, (int)drift["reference"]!["rows"]!));
        Assert.Equal(369, (int)drift["window"]!["current"]!);
    }

    [Fact]
    public async Task Drift_settings_are_validated_and_named()
    {
        var model = await MonitoredModel.CreateAsync(Server);
        var (status, body) = await Server.SendJsonAsync(HttpMethod.Patch, $"api/v1/models/{model.Name}/config", new { drift_window = "lots" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("drift_window: 'lots' is not a whole number in 10..100000", (string)body!["error"]!);
        (status, body) = await Server.SendJsonAsync(HttpMethod.Patch, $"api/v1/models/{model.Name}/config", new { drift_correction = "holm" });
        Assert.Equal("drift_correction: 'holm' is not one of bh, bonferroni, none", (string)body!["error"]!);

        await Server.ConfigureAsync(model.Name, new { drift_interval = "5s", drift_correction = "bonferroni", retrain_on = "quality,staleness", retrain_max_age = "30d" });
        var config = await Server.GetJsonAsync($"api/v1/models/{model.Name}/config");
        var monitoring = config["monitoring"]!;
        Assert.Equal(("5s", "bonferroni", "30d"), ((string)monitoring["drift_interval"]!, (string)monitoring["drift_correction"]!, (string)monitoring["retrain_max_age"]!));
        Assert.Equal(["quality", "staleness"], monitoring["retrain_on"]!.AsArray().Select(t => (string)t!).ToArray());
        Assert.Equal(1000, (int)monitoring["drift_window"]!);
    }

    [Fact]
    public async Task The_grain_timer_runs_the_detectors_on_the_configured_period()
    {
        var model = await MonitoredModel.CreateAsync(Server);
        await model.InferAsync("timer", MonitoredModel.Data.Rows.Take(120).ToArray());
        await model.FlushAsync();
        await Server.ConfigureAsync(model.Name, new { drift_interval = "1s" });
        JsonNode? drift = null;
        await Poll.UntilAsync(async () =>
        {
            drift = await Server.GetJsonAsync($"api/v1/models/{model.Name}/drift");
            return drift["checked_at"] is not null;
        }, TimeSpan.FromSeconds(20), "a detector run by the timer");
        Assert.Equal(120, (int)drift!["window"]!["current"]!);
    }

    private static double[][] Shuffled()
    {
        var random = new Random(12);
        return [.. MonitoredModel.Data.Rows.OrderBy(_ => random.Next())];
    }
}
