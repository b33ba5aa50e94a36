using System.Net;
using System.Text.Json.Nodes;
using Fleet.Server.Serving;
using Fleet.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Tests.Server;

[Collection(ServerCollection.Name)]
[Trait(Speed.Trait, Speed.Server)]
public sealed class GuardrailTests(ServerFixture fixture)
{
    private FleetServer Server => fixture.Server;

    private static JsonObject WineRequest(params float[][] rows) => new()
    {
        ["id"] = "guard",
        ["inputs"] = new JsonArray(new JsonObject
        {
            ["name"] = "input",
            ["shape"] = new JsonArray(rows.Length, 13),
            ["datatype"] = "FP32",
            ["data"] = new JsonArray(rows.SelectMany(r => r).Select(v => (JsonNode)v).ToArray()),
        }),
    };

    // A real wine row (class 0) from the held-out split.
    private static float[] WineRow() => [14.23f, 1.71f, 2.43f, 15.6f, 127f, 2.8f, 3.06f, 0.28f, 2.29f, 5.64f, 1.04f, 3.92f, 1065f];

    /// <summary>Breast-cancer as version 1, then a version answering NaN for part of the input space live as 2 with 1 as its last-known-good.</summary>
    private async Task<string> NaNLiveOverGoodAsync(string prefix)
    {
        var name = Names.Model(prefix);
        await Server.RegisterAsync(name);
        await Server.UploadWithReferenceAsync(name, Repo.Sample("breast-cancer", "model.onnx"), Repo.Sample("breast-cancer", "reference.csv"), "1");
        await Server.UploadWithReferenceAsync(name, Repo.Sample("testing", "breast-cancer-nan.onnx"), Repo.Sample("breast-cancer", "reference.csv"), "2");
        await Server.PromoteAsync(name, "1");
        await Server.PromoteAsync(name, "2");
        await Server.WaitFallbackAsync(name, "2", "1");
        return name;
    }

    private async Task<string> WineWithReference()
    {
        var name = Names.Model("gw");
        await Server.RegisterAsync(name);
        await Server.UploadWithReferenceAsync(name, Repo.Sample("wine", "model.onnx"), Repo.Sample("wine", "reference.csv"), "1");
        await Server.PromoteAsync(name, "1");
        await Server.WaitServingAsync(name, "1");
        return name;
    }

    [Fact]
    public async Task Samples_carry_contracts_inferred_from_their_reference_data()
    {
        var contract = await Server.GetJsonAsync("api/v1/models/breast-cancer/versions/1/contract");

        Assert.Equal("input", (string)contract["input"]!["input"]!);
        Assert.Equal(30, contract["input"]!["features"]!.AsArray().Count);
        Assert.Equal("mean_radius", (string)contract["input"]!["features"]![0]!["name"]!);
        Assert.StartsWith("reference (", (string)contract["input"]!["source"]!);
        var probabilities = contract["output"]!["outputs"]!.AsArray().Single(o => (string)o!["output"]! == "probabilities")!;
        Assert.Equal("probabilities", (string)probabilities["kind"]!);
        Assert.Equal(2, (int)probabilities["class_count"]!);
    }

    [Fact]
    public async Task Out_of_range_input_is_flagged_by_default_and_served()
    {
        var row = WineRow();
        row[4] = 10_000f; // magnesium far above anything in the reference

        var (status, body) = await Server.PostJsonAsync("v2/models/wine/infer", WineRequest(row).ToJsonString());

        Assert.Equal(HttpStatusCode.OK, status);
        var parameters = body!["parameters"]!;
        Assert.Equal(1, (int)parameters["fleet_contract_violations"]!);
        var violation = parameters["fleet_violations"]![0]!;
        Assert.Equal(("input", 0, 4, "magnesium", 10000.0, "above_max"),
            ((string)violation["input"]!, (int)violation["row"]!, (int)violation["column"]!, (string)violation["feature"]!, (double)violation["value"]!, (string)violation["rule"]!));
        Assert.Equal("[0]", parameters["fleet_outlier_rows"]!.ToJsonString());
    }

    [Fact]
    public async Task Reject_mode_returns_400_listing_every_violation_and_serves_nothing()
    {
        var name = await WineWithReference();
        await Server.ConfigureAsync(name, new { input_contract = "reject" });
        await Poll.UntilAsync(async () => (await Server.GetJsonAsync("api/v1/status"))["models"]!.AsArray()
            .Any(m => (string)m!["name"]! == name && (string?)m["input_contract"] == "reject"), TimeSpan.FromSeconds(30), "config pushed");
        var bad = WineRow();
        bad[0] = 100f;
        bad[12] = -5f;

        var (status, body) = await Server.PostJsonAsync($"v2/models/{name}/infer", WineRequest(WineRow(), bad).ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith($"input contract: 2 violation(s) in input 'input' of model '{name}' version '1'; first: feature 'alcohol' (input 'input', index 0, row 1): value 100 is above max ",
            (string)body!["error"]!);
        Assert.Equal(2, (int)body["violation_count"]!);
        var violations = body["violations"]!.AsArray();
        Assert.Equal(["alcohol above_max row 1", "proline below_min row 1"],
            violations.Select(v => $"{(string)v!["feature"]!} {(string)v["rule"]!} row {(int)v["row"]!}").ToArray());

        var (okStatus, _) = await Server.PostJsonAsync($"v2/models/{name}/infer", WineRequest(WineRow()).ToJsonString());
        Assert.Equal(HttpStatusCode.OK, okStatus);
    }

    [Fact]
    public async Task A_unit_change_on_one_feature_is_out_of_the_learned_contract_in_either_direction()
    {
        // Issue 12: ranges widened linearly let a strictly positive feature divided by 100 pass; now positive
        // features are bounded on their own scale (docs/contracts.md).
        var name = await WineWithReference();
        await Server.ConfigureAsync(name, new { input_contract = "reject" });
        await Poll.UntilAsync(async () => (await Server.GetJsonAsync("api/v1/status"))["models"]!.AsArray()
            .Any(m => (string)m!["name"]! == name && (string?)m["input_contract"] == "reject"), TimeSpan.FromSeconds(30), "config pushed");
        var tenth = WineRow();
        tenth[12] /= 100;
        var tenfold = WineRow();
        tenfold[4] *= 10;

        var (status, body) = await Server.PostJsonAsync($"v2/models/{name}/infer", WineRequest(tenth, tenfold).ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["proline below_min row 0", "magnesium above_max row 1"],
            body!["violations"]!.AsArray().Select(v => $"{(string)v!["feature"]!} {(string)v["rule"]!} row {(int)v["row"]!}").ToArray());
        Assert.Contains("feature 'proline' (input 'input', index 12, row 0): value ", (string)body["error"]!);
        var (okStatus, _) = await Server.PostJsonAsync($"v2/models/{name}/infer", WineRequest(WineRow()).ToJsonString());
        Assert.Equal(HttpStatusCode.OK, okStatus);
    }

    [Fact]
    public async Task A_broken_answer_of_a_version_rolled_back_while_the_request_ran_is_answered_by_the_version_live_now()
    {
        var name = await NaNLiveOverGoodAsync("swap");
        var host = Server.Services.GetRequiredService<ModelHost>();
        var pipeline = Server.Services.GetRequiredService<PredictionPipeline>();
        Assert.True(host.TryAcquireLive(name, out var lease));
        using (lease)
        {
            // The request holds version 2; a rollback to 1 that quarantines 2 applies before it runs (1 is live now, with no last-known-good).
            var (status, _) = await Server.PostJsonAsync($"api/v1/models/{name}/rollback", new { reason = "t", quarantine = true });
            Assert.Equal(HttpStatusCode.OK, status);
            await Server.WaitServingAsync(name, "1");
            Assert.True(host.TryGetSlot(name, out var slot) && slot.Fallback is null, "no last-known-good after the rollback");
            var request = JsonNode.Parse(await File.ReadAllTextAsync(Repo.Sample("testing", "breast-cancer-nan.json")))!["request"]!.ToJsonString();

            var prediction = pipeline.Predict(lease.Model, System.Text.Encoding.UTF8.GetBytes(request), slot.Route.Config, acquiredAsLive: true);

            Assert.Equal(("2", "1"), (lease.Model.Version, prediction.Version));
            Assert.StartsWith("version 2 broke its output contract: output 'probabilities'", prediction.Fallback);
            Assert.EndsWith("; served version 1, live since this request began", prediction.Fallback);
        }
    }

    [Fact]
    public async Task NaN_outputs_never_reach_a_client_and_fall_back_to_the_last_known_good()
    {
        var name = await NaNLiveOverGoodAsync("nan");
        var nan = JsonNode.Parse(await File.ReadAllTextAsync(Repo.Sample("testing", "breast-cancer-nan.json")))!;
        var request = nan["request"]!.ToJsonString();

        var response = await Server.Client.PostAsync($"v2/models/{name}/infer", new StringContent(request));

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("NaN", text);
        Assert.Equal("1", response.Headers.GetValues("Fleet-Model-Version").Single());
        var reason = response.Headers.GetValues("Fleet-Fallback").Single();
        Assert.StartsWith("version 2 broke its output contract: output 'probabilities'", reason);
        Assert.EndsWith("; served last-known-good version 1", reason);
        var body = JsonNode.Parse(text)!;
        Assert.Equal("1", (string)body["model_version"]!);
        Assert.Equal(reason, (string)body["parameters"]!["fleet_fallback"]!);

        // The live version itself answers requests it handles well, without a fallback.
        var finite = Golden.Load(Repo.Sample("breast-cancer", "golden.json"));
        var direct = await Server.Client.PostAsync($"v2/models/{name}/infer", new StringContent(WithRows(nan, [0, 2])));
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.Equal("2", direct.Headers.GetValues("Fleet-Model-Version").Single());
        Assert.False(direct.Headers.Contains("Fleet-Fallback"));
        Assert.NotNull(finite);

        // A version asked for by id answers for itself: no fallback hides that it is broken.
        await Server.UploadAsync(name, Repo.Sample("testing", "breast-cancer-nan.onnx"), "3");
        var byId = await Server.Client.PostAsync($"v2/models/{name}/versions/3/infer", new StringContent(request));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, byId.StatusCode);
        Assert.EndsWith("; no fallback for a version requested by id (the chain applies to the live version)",
            (string)JsonNode.Parse(await byId.Content.ReadAsStringAsync())!["error"]!);

        // Static default next, then nothing: 503 with the explanation.
        await Server.ConfigureAsync(name, new { fallback = "default,error", fallback_default = "{\"label\":[0],\"probabilities\":[1,0]}" });
        await WaitConfig(name, "default,error");
        response = await Server.Client.PostAsync($"v2/models/{name}/infer", new StringContent(request));
        body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("default", (string)body["model_version"]!);
        Assert.EndsWith("; served the configured default", response.Headers.GetValues("Fleet-Fallback").Single());
        Assert.Equal("[0,0,0,0]", body["outputs"]!.AsArray().Single(o => (string)o!["name"]! == "label")!["data"]!.ToJsonString());

        await Server.ConfigureAsync(name, new { fallback = "error" });
        await WaitConfig(name, "error");
        response = await Server.Client.PostAsync($"v2/models/{name}/infer", new StringContent(request));
        var error = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.StartsWith("version 2 broke its output contract: output 'probabilities'", error);
        Assert.EndsWith("; no fallback configured", error);

        // The Prometheus exporter caches a scrape for a moment; another test may have just scraped.
        var series = $"fleet_inference_fallbacks_total{{otel_scope_name=\"Fleet\",model=\"{name}\",step=\"last-known-good\",version=\"2\"}} ";
        string? line = null;
        await Poll.UntilAsync(async () => (line = (await Server.Client.GetStringAsync("metrics")).Split('\n').FirstOrDefault(l => l.StartsWith(series, StringComparison.Ordinal))) is not null,
            TimeSpan.FromSeconds(10), series);
        Assert.Equal("1", line![series.Length..].Split(' ')[0]);
    }

    [Fact]
    public async Task Config_api_validates_every_key()
    {
        var name = await WineWithReference();

        var config = await Server.GetJsonAsync($"api/v1/models/{name}/config");
        Assert.Equal("""{"input_contract":"flag","input_missing":"reject","outlier_threshold":6,"fallback":["last-known-good","default","error"],"fallback_default":null,"replicas":null,"monitoring":{"drift_interval":"30s","drift_window":1000,"drift_min_samples":100,"drift_alpha":0.05,"drift_correction":"bh","drift_effect":0.1,"drift_ert":2000,"reference_rows":1000,"quality_window":"1d","quality_min_labels":50,"quality_tolerance":0.05,"quality_floor":null,"quality_max_mae":null,"retrain_on":["drift","quality","estimated_quality","staleness"],"retrain_max_age":null,"retrain_webhook":null},"alert":{"for":null,"keep_firing_for":null,"latency_p99_ms":null,"error_rate":null,"violation_rate":null,"fallback_rate":null}}""", config.ToJsonString());

        foreach (var (patch, expected) in new (object, string)[]
        {
            (new { nope = "1" }, "nope: unknown setting (known: input_contract, input_missing, outlier_threshold, fallback, fallback_default, replicas, alert.for, alert.keep_firing_for, alert.latency_p99_ms, alert.error_rate, alert.violation_rate, alert.fallback_rate, drift_interval, drift_window, drift_min_samples, drift_alpha, drift_correction, drift_effect, drift_ert, reference_rows, quality_window, quality_min_labels, quality_tolerance, quality_floor, quality_max_mae, retrain_on, retrain_max_age, retrain_webhook)"),
            (new { input_contract = "block" }, "input_contract: 'block' is not one of reject, flag, off"),
            (new { input_contract = "impute" }, "input_contract: 'impute' is not one of reject, flag, off"),
            (new { input_missing = "guess" }, "input_missing: 'guess' is not one of reject, flag, impute, off"),
            (new { outlier_threshold = "-1" }, "outlier_threshold: '-1' is not a non-negative number (0 turns outlier flags off)"),
            (new { fallback = "last-known-good,pray" }, "fallback: 'pray' is not one of last-known-good, default, error"),
            (new { replicas = "0" }, "replicas: '0' is not a whole number from 1 to 64 (or 'default' for the cluster's Fleet:Coordinator:ReplicationFactor)"),
            (new { replicas = "two" }, "replicas: 'two' is not a whole number from 1 to 64 (or 'default' for the cluster's Fleet:Coordinator:ReplicationFactor)"),
            (new { fallback_default = "{\"score\":[1]}" }, $"fallback_default: 'score' is not an output of the live version (outputs: probabilities, label)"),
            (new Dictionary<string, string> { ["alert.for"] = "10x" }, "alert.for: '10x' is not a duration (a whole number and s, m or h, e.g. 10s; or 'default' for the rule's own)"),
            (new Dictionary<string, string> { ["alert.keep_firing_for"] = "48h" }, "alert.keep_firing_for: '48h' is longer than 24h"),
            (new Dictionary<string, string> { ["alert.error_rate"] = "0" }, "alert.error_rate: '0' is not a share above 0 and at most 1 (e.g. 0.02), or 'default' for Fleet:Alerting:Serving's"),
            (new Dictionary<string, string> { ["alert.fallback_rate"] = "1.5" }, "alert.fallback_rate: '1.5' is not a share above 0 and at most 1 (e.g. 0.02), or 'default' for Fleet:Alerting:Serving's"),
            (new Dictionary<string, string> { ["alert.latency_p99_ms"] = "fast" }, "alert.latency_p99_ms: 'fast' is not a number of milliseconds above 0 and at most 3600000, or 'default' (judged against the previous live version's p99)"),
        })
        {
            var (status, body) = await Server.SendJsonAsync(HttpMethod.Patch, $"api/v1/models/{name}/config", patch);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(expected, (string)body!["error"]!);
        }

        Assert.Equal(config.ToJsonString(), (await Server.GetJsonAsync($"api/v1/models/{name}/config")).ToJsonString());

        // A rule's `for` per model (issue 14's interface): `fleet config set MODEL alert.for=10s`.
        var (exit, _, error) = await FleetCommand.RunAsync(Server, null, "config", "set", name, "alert.for=10s", "alert.keep_firing_for=1m");
        Assert.True(exit == 0, error);
        var alert = (await Server.GetJsonAsync($"api/v1/models/{name}/config"))["alert"]!;
        Assert.Equal(("10s", "60s"), ((string)alert["for"]!, (string)alert["keep_firing_for"]!));
        Assert.Equal(0, (await FleetCommand.RunAsync(Server, null, "config", "set", name, "alert.for=default")).Exit);
        Assert.Null((await Server.GetJsonAsync($"api/v1/models/{name}/config"))["alert"]!["for"]);

        // The serving rules' thresholds per model.
        Assert.Equal(0, (await FleetCommand.RunAsync(Server, null, "config", "set", name, "alert.latency_p99_ms=50", "alert.violation_rate=0.02")).Exit);
        alert = (await Server.GetJsonAsync($"api/v1/models/{name}/config"))["alert"]!;
        Assert.Equal(("50", "0.02", (string?)null), ((string)alert["latency_p99_ms"]!, (string)alert["violation_rate"]!, (string?)alert["error_rate"]));
    }

    [Fact]
    public async Task An_edited_contract_is_enforced_and_an_invalid_one_refused()
    {
        var name = await WineWithReference();
        var contract = await Server.GetJsonAsync($"api/v1/models/{name}/versions/1/contract");
        contract["input"]!["features"]![0]!["max"] = 12.0; // alcohol above 12 is now out of range

        var (status, body) = await Server.SendJsonAsync(HttpMethod.Put, $"api/v1/models/{name}/versions/1/contract", contract.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        await Poll.UntilAsync(async () =>
        {
            var (s, b) = await Server.PostJsonAsync($"v2/models/{name}/infer", WineRequest(WineRow()).ToJsonString());
            return s == HttpStatusCode.OK && b!["parameters"]!["fleet_contract_violations"] is not null;
        }, TimeSpan.FromSeconds(30), "the edited contract in force");

        contract["input"]!["features"]![0]!["min"] = 50.0;
        (status, body) = await Server.SendJsonAsync(HttpMethod.Put, $"api/v1/models/{name}/versions/1/contract", contract.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("input.features[0].min: 50 is greater than max 12", (string)body!["error"]!);
    }

    private async Task WaitConfig(string name, string fallback) =>
        await Poll.UntilAsync(async () => (await Server.GetJsonAsync("api/v1/status"))["models"]!.AsArray()
            .Any(m => (string)m!["name"]! == name && (string?)m["fallback"] == fallback), TimeSpan.FromSeconds(30), $"fallback {fallback} pushed");

    private static string WithRows(JsonNode nan, int[] rows)
    {
        var request = nan["request"]!.DeepClone();
        var input = request["inputs"]![0]!;
        var data = input["data"]!.AsArray().Select(v => (double)v!).ToArray();
        input["data"] = new JsonArray(rows.SelectMany(r => data.Skip(r * 30).Take(30)).Select(v => (JsonNode)v).ToArray());
        input["shape"] = new JsonArray(rows.Length, 30);
        return request.ToJsonString();
    }

    [Fact]
    public async Task A_null_over_JSON_is_a_missing_value_the_contract_rejects_by_feature_name_or_imputes_with_the_reference_median()
    {
        var name = await WineWithReference();
        var request = WineRequest(WineRow()).ToJsonString().Replace("[14.23,", "[null,", StringComparison.Ordinal);

        var (status, body) = await Server.PostJsonAsync($"v2/models/{name}/infer", request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"input contract: 1 violation(s) in input 'input' of model '{name}' version '1'; first: feature 'alcohol' (input 'input', index 0, row 0): " +
            "missing value; the feature does not allow missing values", (string)body!["error"]!);

        await Server.ConfigureAsync(name, new { input_missing = "impute" });
        // The new config reaches the silo's routing table by a push, not within the PATCH call.
        await Poll.UntilAsync(async () =>
        {
            (status, body) = await Server.PostJsonAsync($"v2/models/{name}/infer", request);
            return status == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30), "input_missing=impute in force");

        var contract = await Server.GetJsonAsync($"api/v1/models/{name}/versions/1/contract");
        var median = (double)contract["input"]!["features"]![0]!["median"]!;
        var violation = body!["parameters"]!["fleet_violations"]![0]!;
        Assert.Equal(("alcohol", "imputed", $"missing value replaced by the reference median {median.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}"),
            ((string)violation["feature"]!, (string)violation["rule"]!, (string)violation["detail"]!));
        Assert.Equal("impute", (string)(await Server.GetJsonAsync($"api/v1/models/{name}/config"))["input_missing"]!);
    }
}
