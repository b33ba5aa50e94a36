using System.Net;
using System.Text.Json.Nodes;
using Fleet.Cli;
using Fleet.Abstractions.Hosts;
using Fleet.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Tests.Health;

/// <summary>
/// Faults on a real embedded server: the probes detect them, the coordinator decides with evidence, the registry
/// rolls back, and clients keep getting answers. Each test prints what it measured (fault to decision, fault to the
/// last-known-good answering): <c>tests/run.sh --filter "FullyQualifiedName~ProbingServerTests" --logger "console;verbosity=detailed"</c>.
/// </summary>
[Collection(ProbingServerCollection.Name)]
[Trait(Speed.Trait, Speed.Server)]
public sealed class ProbingServerTests(ProbingServerFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private FleetServer Server => fixture.Server;

    private static string WineRequest => File.ReadAllText(Repo.Sample("wine", "request.json"));

    [Fact]
    public async Task Hosts_lists_this_silo_with_its_provider_memory_and_passing_versions()
    {
        var hosts = (await Server.GetJsonAsync("api/v1/hosts"))["hosts"]!.AsArray();

        var host = Assert.Single(hosts)!;
        Assert.Equal(("active", "CPU"), ((string)host["membership"]!, (string)host["provider"]!));
        Assert.StartsWith("127.0.0.1:", (string)host["address"]!);
        Assert.True((long)host["memory"]!["working_set_bytes"]! > 0);
        var wine = host["models"]!.AsArray().Single(m => (string)m!["model"]! == "wine")!;
        Assert.Equal(("1", "live", "passing", "CPU"), ((string)wine["version"]!, (string)wine["role"]!, (string)wine["verdict"]!, (string)wine["provider"]!));
        Assert.True(DateTimeOffset.Parse((string)host["last_probe"]!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddSeconds(-10));

        var detail = await Server.GetJsonAsync($"api/v1/hosts/{(string)host["id"]!}");
        var golden = detail["probes"]!.AsArray().First(p => (string)p!["model"]! == "wine" && (string)p["check"]! == "golden")!;
        Assert.Equal((true, "20 golden rows match (golden file golden.json)"), ((bool)golden["passed"]!, (string)golden["detail"]!));

        // Other tests on this shared server inject faults: the exit code must match the status it printed (4 unless healthy).
        var (exit, output, _) = await Fleet("hosts", "--output", "json");
        var listed = Assert.Single(JsonNode.Parse(output)!.AsArray())!.AsObject();
        Assert.Equal((string)listed["status"]! == "healthy" ? 0 : 4, exit);
        foreach (var field in new[] { "id", "address", "status", "reasons", "provider", "models", "last_probe" })
        {
            Assert.True(listed.ContainsKey(field), $"fleet hosts --output json lacks '{field}': {output}");
        }

        (exit, output, _) = await Fleet("hosts");
        Assert.True(exit is 0 or 4, $"fleet hosts exited {exit}");
        Assert.StartsWith("HOST ", output);
        Assert.Contains($"{(string)host["id"]!}  ", output);
        Assert.Contains("wine:1 (live)", output);

        var (status, body) = await Server.SendJsonAsync(HttpMethod.Get, "api/v1/hosts/no-such-host", null);
        Assert.Equal((HttpStatusCode.NotFound, "host 'no-such-host' not found"), (status, (string)body!["error"]!));
    }

    [Fact]
    public async Task Swapped_weights_fail_the_golden_probe_on_every_host_and_the_coordinator_rolls_back()
    {
        var (name, v1Sha, _) = await TwoVersionsAsync("swap", "wine", Repo.Sample("testing", "wine-v2.onnx"));
        await using var client = new ClientLoop(Server.Client, name, WineRequest);
        await Poll.UntilAsync(() => Task.FromResult(client.Answers.Count >= 3), Wait, "the client's first answers");

        var faultAt = DateTimeOffset.UtcNow;
        var faultClock = client.Elapsed;
        var (status, body) = await Server.PostJsonAsync("api/v1/faults", new { model = name, version = "2", kind = "weights", artifact_sha256 = v1Sha });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var decision = await WaitDecisionAsync(name, "rollback");
        await Server.WaitServingAsync(name, "1");
        await Poll.UntilAsync(() => Task.FromResult(client.Answers.Any(a => a.At > faultClock && a.Version == "1")), Wait, "the client answered by version 1");

        Assert.Equal(("2", "1", "done", "rolled back from 2 to 1; version 2 quarantined"),
            ((string)decision["from_version"]!, (string)decision["to_version"]!, (string)decision["status"]!, (string)decision["outcome"]!));
        Assert.StartsWith("version 2 fails its golden probe on all 1 host(s) that serve it (", (string)decision["reason"]!);
        Assert.Contains("golden outputs differ (reference data: first 16 rows): output 'probabilities': ", (string)decision["reason"]!);
        Assert.EndsWith("; rolling back to the last-known-good version 1 and quarantining 2", (string)decision["reason"]!);
        var evidence = decision["evidence"]!;
        Assert.Equal(("golden_all_hosts", 1.0, 1.0, 3.0), ((string)evidence["trigger"]!, (double)evidence["observed"]!["hosts_serving"]!,
            (double)evidence["observed"]!["hosts_failing"]!, (double)evidence["thresholds"]!["failure_threshold"]!));
        Assert.All(client.Answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var versions = (await Server.GetJsonAsync($"api/v1/models/{name}/versions"))["versions"]!.AsArray();
        Assert.Equal("quarantined", (string)versions.Single(v => (string)v!["version"]! == "2")!["state"]!);
        var audit = (await Server.GetJsonAsync($"api/v1/models/{name}/audit"))["entries"]!.AsArray()[^1]!;
        Assert.Equal(("rollback+quarantine", "coordinator"), ((string)audit["action"]!, (string)audit["actor"]!));
        Assert.EndsWith($"[decision {(string)decision["id"]!}]", (string)audit["reason"]!);
        Report("swapped weights (golden probe)", faultAt, decision, client, faultClock);
    }

    [Fact]
    public async Task An_artifact_overwritten_on_disk_fails_the_artifact_check_and_the_coordinator_rolls_back()
    {
        var (name, _, v2Sha) = await TwoVersionsAsync("disk", "wine", Repo.Sample("testing", "wine-v2.onnx"));
        await using var client = new ClientLoop(Server.Client, name, WineRequest);
        await Poll.UntilAsync(() => Task.FromResult(client.Answers.Count >= 3), Wait, "the client's first answers");

        var faultAt = DateTimeOffset.UtcNow;
        var faultClock = client.Elapsed;
        File.Copy(Repo.Sample("wine", "model.onnx"), Path.Combine(Server.DataDirectory, "artifacts", "sha256", v2Sha[..2], v2Sha + ".onnx"), overwrite: true);
        var decision = await WaitDecisionAsync(name, "rollback");
        await Server.WaitServingAsync(name, "1");
        await Poll.UntilAsync(() => Task.FromResult(client.Answers.Any(a => a.At > faultClock && a.Version == "1")), Wait, "the client answered by version 1");

        Assert.StartsWith("version 2 fails its artifact probe on all 1 host(s) that serve it (", (string)decision["reason"]!);
        Assert.Contains($"checksum mismatch: artifact file {Path.Combine(Server.DataDirectory, "artifacts", "sha256", v2Sha[..2], v2Sha + ".onnx")} has SHA-256 ", (string)decision["reason"]!);
        Assert.Equal("done", (string)decision["status"]!);
        Assert.All(client.Answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Report("artifact overwritten on disk (artifact check)", faultAt, decision, client, faultClock);
    }

    [Fact]
    public async Task A_version_answering_NaN_never_reaches_a_client_and_is_rolled_back_after_the_threshold()
    {
        var (name, _, _) = await TwoVersionsAsync("nan", "breast-cancer", Repo.Sample("testing", "breast-cancer-nan.onnx"));
        var request = JsonNode.Parse(await File.ReadAllTextAsync(Repo.Sample("testing", "breast-cancer-nan.json")))!["request"]!.ToJsonString();
        await using var client = new ClientLoop(Server.Client, name, request);
        var faultAt = DateTimeOffset.UtcNow;
        var faultClock = client.Elapsed;

        var decision = await WaitDecisionAsync(name, "rollback");
        await Server.WaitServingAsync(name, "1");
        await Poll.UntilAsync(() => Task.FromResult(client.Answers.Any(a => a.At > faultClock && a.Version == "1" && !a.Fallback)), Wait, "version 1 answering without a fallback");

        var evidence = decision["evidence"]!;
        Assert.Equal("output_violations", (string)evidence["trigger"]!);
        Assert.Equal(1.0, (double)evidence["observed"]!["violation_rate"]!);
        Assert.True((double)evidence["observed"]!["attempts"]! >= 20, evidence.ToJsonString());
        Assert.Equal((0.05, 20.0), ((double)evidence["thresholds"]!["violation_rate"]!, (double)evidence["thresholds"]!["min_samples"]!));
        Assert.StartsWith("version 2 answers broken in the last 5 min, by the fallback step that answered instead: last-known-good=", (string)evidence["signals"]![0]!);
        Assert.All(client.Answers, a => Assert.Equal((HttpStatusCode.OK, false, "1"), (a.Status, a.HasNaN, a.Version)));
        Report("NaN for part of the input space (output violations)", faultAt, decision, client, faultClock);
    }

    [Fact]
    public async Task A_pinned_model_is_left_alone_with_a_skipped_decision_and_readiness_tells_the_truth()
    {
        var (name, v1Sha, _) = await TwoVersionsAsync("pin", "wine", Repo.Sample("testing", "wine-v2.onnx"));
        var pin = await Fleet("pin", name, "2", "--reason", "drill");
        Assert.Equal((0, $"{name}: pinned to version 2 by anonymous (Fleet-Actor: ci-bot)\n"), (pin.Exit, pin.Out));

        await Server.PostJsonAsync("api/v1/faults", new { model = name, version = "2", kind = "weights", artifact_sha256 = v1Sha });
        var skipped = await WaitDecisionAsync(name, "skipped");

        Assert.Equal(("rollback", "2", "1"), ((string)skipped["intended_action"]!, (string)skipped["from_version"]!, (string)skipped["to_version"]!));
        Assert.StartsWith("model is pinned to version 2 by anonymous (Fleet-Actor: ci-bot) (drill), so automation leaves it alone; would have rolled back: version 2 fails its golden probe on all 1 host(s)", (string)skipped["reason"]!);
        Assert.Equal("2", (string)(await Server.GetJsonAsync($"api/v1/models/{name}"))["live_version"]!);
        var modelReady = await Server.Client.GetAsync($"v2/models/{name}/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, modelReady.StatusCode);
        var problem = (string)JsonNode.Parse(await modelReady.Content.ReadAsStringAsync())!["error"]!;
        Assert.StartsWith($"model '{name}' version '2' is failing its golden probe on this host: golden outputs differ (reference data: first 16 rows)", problem);
        var hostReady = await Server.Client.GetAsync("v2/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, hostReady.StatusCode);
        Assert.Contains(problem, JsonNode.Parse(await hostReady.Content.ReadAsStringAsync())!["not_ready"]!.AsArray().Select(n => (string)n!));
        JsonNode host = null!;
        await Poll.UntilAsync(async () => (string)(host = (await Server.GetJsonAsync("api/v1/hosts"))["hosts"]![0]!)["status"]! == "unhealthy", Wait, "the host reported unhealthy");
        Assert.Contains(host["reasons"]!.AsArray(), r => ((string)r!).StartsWith($"model '{name}' version '2' (live): golden probe failing (", StringComparison.Ordinal));

        var decisions = await Fleet("decisions", name, "--output", "json");
        Assert.Equal(0, decisions.Exit);
        var newest = JsonNode.Parse(decisions.Out)!.AsArray()[0]!.AsObject();
        Assert.Equal(("skipped", name), ((string)newest["action"]!, (string)newest["model"]!));
        foreach (var field in new[] { "time", "model", "action", "from_version", "to_version", "reason", "evidence" })
        {
            Assert.True(newest.ContainsKey(field), $"fleet decisions --output json lacks '{field}'");
        }

        var unpin = await Fleet("unpin", name);
        Assert.Equal((0, $"{name}: unpinned (was pinned to version 2 by anonymous (Fleet-Actor: ci-bot))\n"), (unpin.Exit, unpin.Out));
        var rollback = await WaitDecisionAsync(name, "rollback");
        Assert.Equal("done", (string)rollback["status"]!);
        await Server.WaitServingAsync(name, "1");
        var table = await Fleet("decisions", name);
        Assert.Contains($"  {name}  rollback            2     1   -     done", table.Out);
        Assert.Contains($"  {name}  skipped (rollback)  2     1   -     done", table.Out);
    }

    [Fact]
    public async Task A_reload_command_replaces_a_faulty_session_with_one_from_the_verified_artifact()
    {
        var (name, v1Sha, _) = await TwoVersionsAsync("reload", "wine", Repo.Sample("testing", "wine-v2.onnx"));
        await Server.PostJsonAsync($"api/v1/models/{name}/versions/2/pin", new { reason = "keep it live while the host reloads" });
        await Server.PostJsonAsync("api/v1/faults", new { model = name, version = "2", kind = "weights", artifact_sha256 = v1Sha });
        JsonNode host = null!;
        await Poll.UntilAsync(async () =>
        {
            host = (await Server.GetJsonAsync("api/v1/hosts"))["hosts"]![0]!;
            return host["models"]!.AsArray().Any(m => (string)m!["model"]! == name && (string)m["version"]! == "2" && (string)m["verdict"]! == "failing");
        }, Wait, "version 2 failing on the host");
        var hostId = (string)host["id"]!;
        var grains = Server.Services.GetRequiredService<IGrainFactory>();
        var command = new HostCommand($"test-{Guid.NewGuid():N}", "reload", name, "2", "test", DateTimeOffset.UtcNow);

        Assert.True(await grains.GetGrain<IHostGrain>(hostId).Enqueue(command));
        Assert.False(await grains.GetGrain<IHostGrain>(hostId).Enqueue(command)); // idempotent: the same id is queued once

        JsonNode? done = null;
        await Poll.UntilAsync(async () => (done = (await Server.GetJsonAsync($"api/v1/hosts/{hostId}"))["commands"]!.AsArray()
            .FirstOrDefault(c => (string)c!["id"]! == command.Id)) is not null, Wait, "the host's reload result");
        Assert.True((bool)done!["ok"]!, done.ToJsonString());
        Assert.StartsWith($"reloaded {name} version 2 from its verified artifact ", (string)done["detail"]!);
        await Server.WaitServingAsync(name, "2"); // ready again: the fresh session passes its golden probe
        var signals = (await Server.GetJsonAsync($"api/v1/signals?model={name}")).AsArray().Select(s => (string)s!["kind"]!).ToArray();
        Assert.Contains("probe_failed", signals);
        await Server.PostJsonAsync($"api/v1/models/{name}/unpin", new { });
    }

    [Fact]
    public async Task A_live_version_that_fails_to_load_on_every_host_is_rolled_back()
    {
        var name = Names.Model("noload");
        await Server.RegisterAsync(name);
        var reference = Repo.Sample("wine", "reference_labeled.csv");
        await Server.UploadWithReferenceAsync(name, Repo.Sample("wine", "model.onnx"), reference, "1", "target");
        await Server.PromoteAsync(name, "1");
        await Server.WaitServingAsync(name, "1");
        using var dir = new TempDirectory();
        var v2Sha = (string)(await Server.UploadWithReferenceAsync(name, TwoVersions.UniqueCopy(Repo.Sample("testing", "wine-v2.onnx"), dir.Path), reference, "2", "target"))["sha256"]!;
        // The stored artifact no longer matches the registry: every host refuses to load it.
        File.Copy(Repo.Sample("wine", "model.onnx"), Path.Combine(Server.DataDirectory, "artifacts", "sha256", v2Sha[..2], v2Sha + ".onnx"), overwrite: true);

        await Server.PromoteAsync(name, "2");
        var decision = await WaitDecisionAsync(name, "rollback");
        Assert.StartsWith("version 2 failed to load on all 1 host(s) (", (string)decision["reason"]!);
        Assert.Contains("checksum mismatch", (string)decision["reason"]!);
        Assert.Equal(("2", "1", "done"), ((string)decision["from_version"]!, (string)decision["to_version"]!, (string)decision["status"]!));
        Assert.Equal("load_failed_all_hosts", (string)decision["evidence"]!["trigger"]!);
        var info = await Server.GetJsonAsync($"api/v1/models/{name}");
        Assert.Equal("1", (string)info["live_version"]!);
        Assert.Equal("quarantined", (string)info["versions"]!.AsArray().Single(v => (string)v!["version"]! == "2")!["state"]!);
        await Server.WaitReadyAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>Registers a model with the sample's model as version 1 and a unique copy of <paramref name="v2Path"/> as 2 (live), both with the sample's reference.</summary>
    private Task<(string Name, string V1Sha, string V2Sha)> TwoVersionsAsync(string prefix, string sample, string v2Path) =>
        TwoVersions.CreateAsync(Server, prefix, sample, v2Path);

    private Task<JsonNode> WaitDecisionAsync(string model, string action) => TwoVersions.WaitDecisionAsync(Server, model, action, Wait);

    private Task<(int Exit, string Out, string Error)> Fleet(params string[] args) => FleetCommand.RunAsync(Server, null, args);

    /// <summary>Prints fault → decision (detection) and fault → first answer by the last-known-good (mitigation), and the failed requests.</summary>
    private static void Report(string fault, DateTimeOffset faultAt, JsonNode decision, ClientLoop client, TimeSpan faultClock)
    {
        var decided = DateTimeOffset.Parse((string)decision["time"]!, System.Globalization.CultureInfo.InvariantCulture) - faultAt;
        var mitigated = client.Answers.First(a => a.At > faultClock && a.Version == "1" && !a.Fallback).At - faultClock;
        var failed = client.Answers.Count(a => a.Status != HttpStatusCode.OK);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"measured: {fault}: fault -> decision {decided.TotalSeconds:0.00} s, fault -> last-known-good answering {mitigated.TotalSeconds:0.00} s, " +
            $"{client.Answers.Count} requests, {failed} failed");
    }
}
