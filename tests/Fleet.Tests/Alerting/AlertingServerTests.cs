using System.Net;
using System.Text.Json.Nodes;
using Fleet.Server.Alerting;
using Fleet.Tests.Health;
using Fleet.Tests.Infrastructure;
using Fleet.Tests.Monitoring;

namespace Fleet.Tests.Alerting;

/// <summary>
/// Issue 14's proof on the embedded server: a NaN-emitting version, swapped weights and a drifted feature each reach a
/// real Alertmanager and a signed webhook without anyone polling Fleet, open an incident whose timeline shows the
/// detection and the mitigation, and give a post-mortem with time to detect and time to mitigate.
/// </summary>
[Trait(Speed.Trait, Speed.Server)]
public sealed class AlertingServerTests(AlertingServerFixture fixture) : IClassFixture<AlertingServerFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private FleetServer Server => fixture.Server;

    [Fact]
    public async Task A_NaN_emitting_version_is_rolled_back_announced_to_Alertmanager_and_the_webhook_and_written_up()
    {
        var (name, _, _) = await TwoVersions.CreateAsync(Server, "al-nan", "breast-cancer", Repo.Sample("testing", "breast-cancer-nan.onnx"));
        var request = JsonNode.Parse(await File.ReadAllTextAsync(Repo.Sample("testing", "breast-cancer-nan.json")))!["request"]!.ToJsonString();
        await using (var client = new ClientLoop(Server.Client, name, request))
        {
            await TwoVersions.WaitDecisionAsync(Server, name, "rollback", Wait);
        }

        var fleet = await FleetPostAsync(name, "FleetDecision", "firing");
        var alert = fleet.Json["alerts"]!.AsArray().Single(a => (string)a!["labels"]!["alertname"]! == "FleetDecision")!;
        Assert.Equal(("rollback", "2", "critical"), ((string)alert["labels"]!["action"]!, (string)alert["labels"]!["version"]!, (string)alert["labels"]!["severity"]!));
        Assert.Equal(("1", "firing", name, $"{{model=\"{name}\"}}"), ((string)fleet.Json["version"]!, (string)fleet.Json["status"]!, (string)fleet.Json["model"]!, (string)fleet.Json["group_key"]!));
        Assert.Equal(AlertSinks.Sign(AlertingServerFixture.Secret, fleet.Body), fleet.Headers[AlertSinks.SignatureHeader]);
        Assert.Equal((string)fleet.Json["idempotency_key"]!, fleet.Headers[AlertSinks.IdempotencyHeader]);

        var am = await AlertmanagerPostAsync(name, "FleetDecision", "firing");
        Assert.Equal(name, (string)am["groupLabels"]!["model"]!);

        var incident = await IncidentAsync(name);
        Assert.Equal(("mitigated", "critical"), ((string)incident["state"]!, (string)incident["severity"]!));
        var kinds = incident["timeline"]!.AsArray().Select(e => (string)e!["kind"]!).ToArray();
        Assert.Contains("decision", kinds);
        Assert.Contains("mitigated", kinds);
        Assert.True((double)incident["time_to_mitigate_seconds"]! >= (double)incident["time_to_detect_seconds"]!, incident.ToJsonString());

        var (exit, markdown, _) = await FleetCommand.RunAsync(Server, null, "postmortem", (string)incident["id"]!);
        Assert.Equal(0, exit);
        foreach (var heading in new[] { "## Summary", "## Impact", "## Timeline", "## Detection", "## Mitigation", "## Root-cause evidence", "## Action items" })
        {
            Assert.Contains(heading, markdown);
        }

        Assert.Contains("Time to detect: ", markdown);
        Assert.Contains("Time to mitigate: ", markdown);
        Assert.DoesNotContain("not mitigated yet", markdown);
        Assert.Matches(@"\| 2 \| \d+ \| [1-9]\d* \|", markdown); // version 2's requests and the fallbacks that answered them
    }

    [Fact]
    public async Task A_pinned_version_that_keeps_breaking_answers_fires_its_rate_alerts_and_bad_input_never_counts()
    {
        var (name, _, _) = await TwoVersions.CreateAsync(Server, "al-rate", "breast-cancer", Repo.Sample("testing", "breast-cancer-nan.onnx"));
        Assert.Equal(0, (await FleetCommand.RunAsync(Server, null, "pin", name, "2", "--reason", "rate rules test")).Exit);
        var request = JsonNode.Parse(await File.ReadAllTextAsync(Repo.Sample("testing", "breast-cancer-nan.json")))!["request"]!.ToJsonString();
        const string badInput = """{"inputs":[{"name":"input","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]}""";
        for (var i = 0; i < 250; i++)
        {
            // Every NaN answer is saved by version 1; every malformed request is the client's fault (400) and no attempt of version 2.
            Assert.Equal(HttpStatusCode.OK, (await Server.Client.PostAsync($"v2/models/{name}/infer", new StringContent(request))).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await Server.Client.PostAsync($"v2/models/{name}/infer", new StringContent(badInput))).StatusCode);
        }

        var fleet = await FleetPostAsync(name, "FleetOutputViolationRate", "firing");
        var alert = fleet.Json["alerts"]!.AsArray().Single(a => (string)a!["labels"]!["alertname"]! == "FleetOutputViolationRate")!;
        Assert.Equal(("2", "critical", "output_violation_rate"),
            ((string)alert["labels"]!["version"]!, (string)alert["labels"]!["severity"]!, (string)alert["labels"]!["kind"]!));
        await AlertmanagerPostAsync(name, "FleetOutputViolationRate", "firing");

        var signal = (await Server.GetJsonAsync($"api/v1/signals?model={name}&kind=output_violation_rate")).AsArray().Single()!;
        // Exactly 1: the 250 malformed requests are not in the denominator.
        Assert.Equal(1.0, (double)signal["evidence"]!["rate"]!);
        Assert.Equal((double)signal["evidence"]!["attempts"]!, (double)signal["evidence"]!["count"]!);
        Assert.Matches(@"^\d+ of \d+ answers of version 2 broke its output contract in the last 5 min: 100%, lower bound \d+(\.\d+)?% vs threshold 1%$", (string)signal["reason"]!);
        Assert.Empty((await Server.GetJsonAsync($"api/v1/signals?model={name}&kind=model_error_rate")).AsArray());

        // The signal names requests that broke (newest first), and each one's trace names the signal back.
        var ids = signal["request_ids"]!.AsArray().Select(i => (string)i!).ToArray();
        Assert.InRange(ids.Length, 1, 10);
        var trace = await Server.GetJsonAsync($"api/v1/traces/{ids[0]}");
        Assert.Equal(("2", "1", "fallback"), ((string)trace["version"]!, (string)trace["answered_by"]!, (string)trace["outcome"]!));
        Assert.Contains((string)signal["id"]!, trace["signals"]!.AsArray().Select(s => (string)s!));
        await FleetPostAsync(name, "FleetFallbackRate", "firing");

        // Version 1 back live by hand: version 2's conditions clear, its alerts resolve.
        Assert.Equal(0, (await FleetCommand.RunAsync(Server, null, "unpin", name)).Exit);
        await Server.PromoteAsync(name, "1");
        var resolved = await FleetPostAsync(name, "FleetOutputViolationRate", "resolved");
        Assert.Contains(resolved.Json["alerts"]!.AsArray(), a => (string)a!["labels"]!["alertname"]! == "FleetOutputViolationRate" && (string)a["status"]! == "resolved");
        var cleared = (await Server.GetJsonAsync($"api/v1/signals?model={name}&kind=output_violation_rate_cleared")).AsArray().Single()!;
        Assert.Equal("version 2 is no longer live (1 is)", (string)cleared["reason"]!);

        // The fleet's false-alarm budget lists the model's detectors and counts the alarms it raised.
        JsonNode? budget = null;
        string output = "";
        await Poll.UntilAsync(async () =>
        {
            var (code, text, _) = await FleetCommand.RunAsync(Server, null, "alerts", "budget", "--output", "json");
            output = text;
            return code == 0 && (budget = JsonNode.Parse(text))!["lines"]!.AsArray().Any(l => (string)l!["model"]! == name);
        }, Wait, $"the false-alarm budget listing {name} (planned on each serving read)");
        Assert.NotNull(budget);
        Assert.Equal(1.0, (double)budget["budget_per_day"]!);
        Assert.Equal(["drift", "multivariate", "quality", "serving", "sequential"],
            budget["lines"]!.AsArray().Where(l => (string)l!["model"]! == name).Select(l => (string)l!["detector"]!).ToArray());
        Assert.True((int)budget["observed_by_kind"]!["output_violation_rate"]! >= 1, output);
        var drift = budget["lines"]!.AsArray().Single(l => (string)l!["model"]! == name && (string)l["detector"]! == "drift")!;
        Assert.True((bool)drift["enforced"]!, drift.ToJsonString());
        Assert.True((double)drift["level"]! < 0.05 && (double)drift["level"]! == (double)budget["per_look_level"]!, drift.ToJsonString());
        var (exit, table, _) = await FleetCommand.RunAsync(Server, null, "alerts", "budget");
        Assert.Equal(0, exit);
        Assert.StartsWith("budget: 1 false alarms/day; expected at most ", table);

        // The coordinator gave the model's monitor that level: its drift runs say what they ran at.
        string? note = null;
        await Poll.UntilAsync(async () =>
        {
            var (status, runs) = await Server.PostJsonAsync($"api/v1/models/{name}/drift/run", new { });
            note = runs?.AsArray().SelectMany(r => r!["notes"]!.AsArray()).Select(n => (string)n!).FirstOrDefault(n => n.StartsWith("false-alarm budget: ", StringComparison.Ordinal));
            return status == HttpStatusCode.OK && note is not null;
        }, Wait, $"a drift run of {name} at the budget's level");
        Assert.Contains("so drift alpha ", note);
        Assert.Contains("(configured 0.05)", note);
    }

    [Fact]
    public async Task Swapped_weights_fire_the_probe_alert_per_host_and_the_rollback_joins_the_same_incident()
    {
        var (name, v1Sha, _) = await TwoVersions.CreateAsync(Server, "al-swap", "wine", Repo.Sample("testing", "wine-v2.onnx"));
        var (status, body) = await Server.PostJsonAsync("api/v1/faults", new { model = name, version = "2", kind = "weights", artifact_sha256 = v1Sha });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        await TwoVersions.WaitDecisionAsync(Server, name, "rollback", Wait);

        var probe = await FleetPostAsync(name, "FleetProbeFailed", "firing");
        Assert.Equal(AlertSinks.Sign(AlertingServerFixture.Secret, probe.Body), probe.Headers[AlertSinks.SignatureHeader]);
        await AlertmanagerPostAsync(name, "FleetProbeFailed", "firing");

        var incident = await IncidentAsync(name);
        Assert.Equal("mitigated", (string)incident["state"]!);
        var lines = incident["timeline"]!.AsArray().Select(e => ((string)e!["kind"]!, (string)e["summary"]!)).ToArray();
        Assert.Contains(lines, l => l.Item1 == "alert_firing" && l.Item2.StartsWith("FleetProbeFailed firing (critical)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Item1 == "decision" && l.Item2.StartsWith("decision rollback: version 2 fails its golden probe", StringComparison.Ordinal));
        var incidents = (await Server.GetJsonAsync($"api/v1/incidents?model={name}")).AsArray();
        Assert.Single(incidents); // the probe alert opened it; the rollback joined it
    }

    [Fact]
    public async Task A_drifted_feature_fires_an_alert_that_resolves_at_Alertmanager_once_the_traffic_is_back()
    {
        var model = await MonitoredModel.CreateAsync(Server, settings: new { drift_window = "600", drift_interval = "1h" });
        var checks = await model.InferCheckedAsync("radius", 600, 3, (v, column) => column == 0 ? v * 1.35 : v);
        Assert.Equal(["warning", "warning", "drift"], MonitoredModel.Overall(checks, "1"));

        var fleet = await FleetPostAsync(model.Name, "FleetModelDrift", "firing");
        var alert = fleet.Json["alerts"]!.AsArray().Single()!;
        Assert.Contains("mean_radius", (string)alert["annotations"]!["description"]!);
        await AlertmanagerPostAsync(model.Name, "FleetModelDrift", "firing");

        var incident = await IncidentAsync(model.Name);
        Assert.Equal("mitigated", (string)incident["state"]!); // by the retraining request drift opens
        var (exit, output, _) = await FleetCommand.RunAsync(Server, null, "alerts", "--model", model.Name, "--output", "json");
        Assert.Equal(0, exit);
        var listed = Assert.Single(JsonNode.Parse(output)!.AsArray())!;
        Assert.Equal("firing", (string)listed["state"]!);
        foreach (var field in new[] { "fingerprint", "labels", "annotations", "starts_at", "ends_at" })
        {
            Assert.True(listed.AsObject().ContainsKey(field), $"fleet alerts --output json lacks '{field}': {output}");
        }

        foreach (var label in new[] { "alertname", "model", "version", "severity" })
        {
            Assert.True(listed["labels"]!.AsObject().ContainsKey(label), $"no label '{label}': {output}");
        }

        // Traffic like the reference again: the drift clears, the alert resolves, Alertmanager says so.
        var random = new Random(20261207);
        var clean = Enumerable.Range(0, 600).Select(i => MonitoredModel.Data.Rows[i % MonitoredModel.Data.Rows.Length]).OrderBy(_ => random.Next()).ToArray();
        // Three checks of 200 fresh rows without an alarm clear the confirmed drift (as three confirmed it).
        JsonNode back = new JsonObject();
        for (var c = 0; c < 3; c++)
        {
            await model.InferAsync($"back{c}", clean[(c * 200)..((c + 1) * 200)]);
            back = await model.RunDriftAsync();
        }

        Assert.True((string)back["overall"]! != "drift", back["reason"]!.ToJsonString());
        await AlertmanagerPostAsync(model.Name, "FleetModelDrift", "resolved");
        var resolved = await FleetPostAsync(model.Name, "FleetModelDrift", "resolved");
        Assert.Equal("resolved", (string)resolved.Json["alerts"]!.AsArray().Single()!["status"]!);

        (exit, output, _) = await FleetCommand.RunAsync(Server, null, "incidents", model.Name, "--output", "json");
        Assert.Equal(0, exit);
        var row = Assert.Single(JsonNode.Parse(output)!.AsArray())!.AsObject();
        foreach (var field in new[] { "id", "model", "state", "severity", "opened_at", "detected_at", "mitigated_at", "resolved_at" })
        {
            Assert.True(row.ContainsKey(field), $"fleet incidents --output json lacks '{field}': {output}");
        }

        var id = (string)row["id"]!;
        Assert.Equal(0, (await FleetCommand.RunAsync(Server, null, "incident", "ack", id)).Exit);
        Assert.Equal(0, (await FleetCommand.RunAsync(Server, null, "incident", "note", id, "reference refreshed")).Exit);
        Assert.Equal(0, (await FleetCommand.RunAsync(Server, null, "incident", "resolve", id)).Exit);
        (exit, output, _) = await FleetCommand.RunAsync(Server, null, "incident", "show", id, "--output", "json");
        var shown = JsonNode.Parse(output)!;
        Assert.Equal("resolved", (string)shown["state"]!);
        Assert.Equal([("ack", "anonymous (Fleet-Actor: ci-bot)"), ("note", "anonymous (Fleet-Actor: ci-bot)"), ("resolve", "anonymous (Fleet-Actor: ci-bot)")],
            shown["timeline"]!.AsArray().TakeLast(3).Select(e => ((string)e!["kind"]!, (string)e["actor"]!)).ToArray());
    }

    private async Task<ReceivedPost> FleetPostAsync(string model, string alertname, string status)
    {
        ReceivedPost? found = null;
        await Poll.UntilAsync(() => Task.FromResult((found = fixture.Receiver.Received.LastOrDefault(p => p.Path == "/fleet" && (string)p.Json["model"]! == model
            && p.Json["alerts"]!.AsArray().Any(a => (string)a!["labels"]!["alertname"]! == alertname && (string)a["status"]! == status))) is not null),
            Wait, $"a {status} {alertname} notification for {model} at the webhook");
        return found!;
    }

    private async Task<JsonNode> AlertmanagerPostAsync(string model, string alertname, string status)
    {
        JsonNode? found = null;
        await Poll.UntilAsync(() => Task.FromResult((found = fixture.Receiver.Received.Where(p => p.Path == "/alertmanager").Select(p => p.Json)
            .LastOrDefault(j => (string?)j["groupLabels"]?["model"] == model
                && j["alerts"]!.AsArray().Any(a => (string)a!["labels"]!["alertname"]! == alertname && (string)a["status"]! == status))) is not null),
            Wait, $"a {status} {alertname} group for {model} from Alertmanager");
        return found!;
    }

    private async Task<JsonNode> IncidentAsync(string model)
    {
        JsonNode? listed = null;
        await Poll.UntilAsync(async () => (listed = (await Server.GetJsonAsync($"api/v1/incidents?model={model}")).AsArray().FirstOrDefault()) is not null
            && (string)listed["state"]! == "mitigated", Wait, $"a mitigated incident for {model}");
        return await Server.GetJsonAsync($"api/v1/incidents/{(string)listed!["id"]!}");
    }
}
