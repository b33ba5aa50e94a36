using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Cluster;

/// <summary>
/// Failure drills on three real silo processes and a real Redis: a replica host SIGKILLed or SIGSTOPped under steady
/// client load, and the coordinator's silo killed between persisting a decision and applying it. Each prints a
/// "measured:" line (docs/reliability.md).
/// </summary>
[Trait(Speed.Trait, Speed.Cluster)]
public sealed class ReplicaFailoverTests
{
    private static string WineRequest => File.ReadAllText(Repo.Sample("wine", "request.json"));

    /// <summary>A new wine model placed on 2 of the 3 silos, ready on both, and the silo that does not hold it (the client's entry).</summary>
    private static async Task<(string Name, string[] Placed, SiloProcess Entry)> PlaceWineAsync(DrillCluster cluster, string prefix)
    {
        var name = Names.Model(prefix);
        await cluster.RegisterWineAsync(name);
        var placed = await cluster.WaitPlacedAsync(cluster.Silos[0], name, 2, "1");
        return (name, placed, cluster.Silos.Single(s => !placed.Contains(cluster.IdOf(s))));
    }

    [Fact]
    public async Task A_killed_replica_host_loses_no_request_and_its_replica_moves_to_a_healthy_host()
    {
        await using var cluster = await DrillCluster.StartAsync(3);
        var (name, placed, entry) = await PlaceWineAsync(cluster, "kill");
        var victim = cluster.ById(placed[0]);
        var survivor = placed[1];

        await using var client = new DrillClient([entry.BaseAddress], name, WineRequest, TimeSpan.FromSeconds(5));
        await client.WaitAnswersAsync(100);
        // The entry does not hold the model: it forwards, spreading over both replicas.
        Assert.Equal(placed, client.Answers.Select(a => a.ServedBy).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToArray());

        var killedAt = DateTimeOffset.UtcNow;
        var since = client.Elapsed;
        DrillCluster.Mark($"kill {placed[0]} entry {cluster.IdOf(entry)} other {survivor}");
        await victim.KillAsync();
        var failover = await DrillCluster.WaitDecisionAsync(entry, name,
            d => (string)d["action"]! == "failover" && ((string?)d["host"])?.Contains(placed[0], StringComparison.Ordinal) == true, "a failover decision");
        var restored = await cluster.WaitPlacedAsync(entry, name, 2, "1", p => !p.Contains(placed[0]));
        var restoredAt = DateTimeOffset.UtcNow;
        await client.WaitAnswersAsync(100);

        Assert.Equal(new[] { cluster.IdOf(entry), survivor }.Order(StringComparer.Ordinal), restored);
        Assert.Equal("host_gone", (string)failover["evidence"]!["trigger"]!);
        // Membership's verdict, or (when the coordinator itself moved with the dead silo) its absence from the membership.
        Assert.StartsWith($"host {placed[0]} is gone: ", (string)failover["reason"]!);
        Assert.StartsWith("replicas: ", (string)failover["outcome"]!);
        Assert.DoesNotContain(placed[0], (string)failover["outcome"]!, StringComparison.Ordinal);
        var failed = client.Failed;
        Assert.True(failed.Count == 0, $"{failed.Count} failed: {string.Join(" | ", failed.Take(5).Select(f => $"{f.Status} {f.Error}"))}");
        Assert.All(client.Answers, a => Assert.True(a.Latency < client.Deadline, $"a request took {a.Latency.TotalMilliseconds:0} ms"));
        // Once the entry holds a replica itself it answers locally.
        Assert.Null(client.Answers.Last().ServedBy);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"measured: SIGKILL of replica host: fault -> failover decision {(DrillCluster.TimeOf(failover) - killedAt).TotalSeconds:0.00} s, " +
            $"-> new replica answering {client.ServedLocallySince(since)?.TotalSeconds:0.00} s, -> both replicas ready (admin API) {(restoredAt - killedAt).TotalSeconds:0.00} s; {client.Summary(since)}");
    }

    [Fact]
    public async Task A_frozen_replica_host_is_left_within_the_forward_timeout_and_no_request_outlives_its_deadline()
    {
        await using var cluster = await DrillCluster.StartAsync(3);
        var (name, placed, entry) = await PlaceWineAsync(cluster, "stop");
        var frozen = cluster.ById(placed[0]);

        var deadline = TimeSpan.FromSeconds(4);
        await using var client = new DrillClient([entry.BaseAddress], name, WineRequest, deadline);
        await client.WaitAnswersAsync(100);

        var frozenAt = DateTimeOffset.UtcNow;
        var since = client.Elapsed;
        DrillCluster.Mark($"freeze {placed[0]} entry {cluster.IdOf(entry)} other {placed[1]}");
        await frozen.FreezeAsync();
        var failover = await DrillCluster.WaitDecisionAsync(entry, name,
            d => (string)d["action"]! == "failover" && ((string?)d["host"])?.Contains(placed[0], StringComparison.Ordinal) == true, "a failover decision");
        var restored = await cluster.WaitPlacedAsync(entry, name, 2, "1", p => !p.Contains(placed[0]));
        var restoredAt = DateTimeOffset.UtcNow;
        await client.WaitAnswersAsync(100);

        Assert.Equal(new[] { cluster.IdOf(entry), placed[1] }.Order(StringComparer.Ordinal), restored);
        Assert.Contains((string)failover["evidence"]!["trigger"]!, new[] { "host_unhealthy", "host_gone" });
        var failed = client.Failed;
        Assert.True(failed.Count == 0, $"{failed.Count} failed: {string.Join(" | ", failed.Take(5).Select(f => $"{f.Status} {f.Error}"))}");
        var after = client.Answers.Where(a => a.Sent >= since).ToArray();
        Assert.All(after, a => Assert.True(a.Latency < deadline, $"a request took {a.Latency.TotalMilliseconds:0} ms (deadline {deadline.TotalMilliseconds} ms)"));
        // A request that meets the frozen host waits one forward timeout (2 s), then the other replica answers; the
        // frozen host is then tried last for Fleet:Replicas:SuspectFor, and not at all once the placement has moved.
        var slow = after.Where(a => a.Latency > TimeSpan.FromSeconds(1)).ToArray();
        Assert.NotEmpty(slow);
        Assert.All(slow, a => Assert.InRange(a.Latency, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)));
        var moved = DrillCluster.TimeOf(failover, "completed_at") - frozenAt + since;
        Assert.All(slow, a => Assert.True(a.Sent < moved + TimeSpan.FromSeconds(1), $"a request sent {(a.Sent - since).TotalSeconds:0.00} s after the freeze met the frozen host; the placement moved at {(moved - since).TotalSeconds:0.00} s"));
        var leftAfter = slow.Max(a => a.Sent + a.Latency) - since;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"measured: SIGSTOP of replica host: traffic left it {leftAfter.TotalSeconds:0.00} s after the freeze ({slow.Length} requests waited one forward timeout), " +
            $"failover decision {(DrillCluster.TimeOf(failover) - frozenAt).TotalSeconds:0.00} s ({(string)failover["evidence"]!["trigger"]!}), " +
            $"new replica answering {client.ServedLocallySince(since)?.TotalSeconds:0.00} s, both replicas ready (admin API) {(restoredAt - frozenAt).TotalSeconds:0.00} s; {client.Summary(since)}");
    }

    [Fact]
    public async Task The_coordinator_silo_killed_between_recording_and_applying_a_rollback_completes_it_exactly_once_elsewhere()
    {
        // Alerts go to a real Alertmanager and a signed webhook, both delivering to this receiver (issue 14 on the Redis cluster).
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var alertmanager = await AlertmanagerProcess.StartAsync(receiver.Url);
        await using var cluster = await DrillCluster.StartAsync(3, $"--Fleet:Alerting:AlertmanagerUrl={alertmanager.Url}",
            $"--Fleet:Alerting:Webhooks:0:Url={receiver.Url}/fleet", "--Fleet:Alerting:Webhooks:0:Secret=drill", "--Fleet:Alerting:EvaluationInterval=00:00:01");
        var name = Names.Model("coord");
        await cluster.RegisterAsync(name, "breast-cancer");
        // Version 2 answers NaN for part of the input space: its golden probe fails and its answers break the output contract.
        var nanCopy = Path.Combine(Path.GetTempPath(), $"{name}-nan.onnx");
        File.Copy(Repo.Sample("testing", "breast-cancer-nan.onnx"), nanCopy);
        try
        {
            await cluster.UploadAsync(name, "breast-cancer", "2", nanCopy);
        }
        finally
        {
            File.Delete(nanCopy);
        }

        var placed = await cluster.WaitPlacedAsync(cluster.Silos[0], name, 2, "1");
        var armed = await cluster.Silos[0].Client.PostAsync("api/v1/faults", DrillCluster.Json(new { kind = "crash_coordinator" }));
        Assert.Equal(HttpStatusCode.OK, armed.StatusCode);
        var coordinatorHost = (string)JsonNode.Parse(await armed.Content.ReadAsStringAsync())!["host"]!;
        var coordinator = cluster.ById(coordinatorHost);
        var entry = cluster.Silos.First(s => s != coordinator);
        var request = JsonNode.Parse(await File.ReadAllTextAsync(Repo.Sample("testing", "breast-cancer-nan.json")))!["request"]!.ToJsonString();
        await using var client = new DrillClient([entry.BaseAddress], name, request, TimeSpan.FromSeconds(5));
        await client.WaitAnswersAsync(50);

        // The fault: the NaN version goes live. The coordinator records the rollback as pending and its silo dies.
        var faultAt = DateTimeOffset.UtcNow;
        var since = client.Elapsed;
        DrillCluster.Mark($"promote NaN version 2 of {name}; coordinator on {coordinatorHost}, entry {cluster.IdOf(entry)}");
        await cluster.PromoteAsync(name, "2");
        using (var exit = new CancellationTokenSource(DrillCluster.Wait))
        {
            await coordinator.WaitForExitAsync(exit.Token);
        }

        var killedAt = DateTimeOffset.UtcNow;
        var rollback = await DrillCluster.WaitDecisionAsync(entry, name, d => (string)d["action"]! == "rollback", "the rollback completed after the crash");
        var rolledBackAt = DateTimeOffset.UtcNow;
        await client.WaitAnswersAsync(50);

        Assert.Equal(("2", "1"), ((string)rollback["from_version"]!, (string)rollback["to_version"]!));
        Assert.Equal("rolled back from 2 to 1; version 2 quarantined", (string)rollback["outcome"]!);
        // Recorded before the crash, completed after it, by a coordinator on another silo: once.
        Assert.True(DrillCluster.TimeOf(rollback, "completed_at") >= killedAt.AddSeconds(-1), rollback.ToJsonString());
        var decisions = await DrillCluster.DecisionsAsync(entry, name);
        Assert.Single(decisions, d => (string)d["action"]! == "rollback");
        var model = JsonNode.Parse(await entry.Client.GetStringAsync($"api/v1/models/{name}"))!;
        Assert.Equal("1", (string)model["live_version"]!);
        var audit = JsonNode.Parse(await entry.Client.GetStringAsync($"api/v1/models/{name}/audit"))!["entries"]!.AsArray();
        Assert.Single(audit, e => ((string)e!["action"]!).StartsWith("rollback", StringComparison.Ordinal));
        Assert.Equal("quarantined", (string)model["versions"]!.AsArray().Single(v => (string)v!["version"]! == "2")!["state"]!);
        // Clients saw neither NaN nor an error, whichever replica the dead silo held.
        var failed = client.Failed;
        Assert.True(failed.Count == 0, $"{failed.Count} failed: {string.Join(" | ", failed.Take(5).Select(f => $"{f.Status} {f.Error}"))}");
        Assert.DoesNotContain(client.Answers, a => a.HasNaN);
        Assert.Contains(client.Answers, a => a.Sent > since && a.Version == "1" && a.Sent + a.Latency > rolledBackAt - faultAt + since);

        // The completed rollback opened one incident, mitigated by itself; it is grain state in Redis, so it is still
        // there after the third silo dies too (wherever the alerting grain was, it reactivates on the entry silo).
        var incident = await WaitIncidentAsync(entry, name);
        Assert.Equal(("mitigated", "2"), ((string)incident["state"]!, (string)incident["versions"]![0]!));
        ReceivedPost? hook = null;
        await Poll.UntilAsync(() => Task.FromResult((hook = receiver.Received.FirstOrDefault(p => p.Path == "/fleet" && (string)p.Json["model"]! == name
            && p.Json["alerts"]!.AsArray().Any(a => (string)a!["labels"]!["alertname"]! == "FleetDecision" && (string)a["labels"]!["action"]! == "rollback"))) is not null),
            DrillCluster.Wait, "the rollback's alert at the signed webhook");
        Assert.Equal(Fleet.Server.Alerting.AlertSinks.Sign("drill", hook!.Body), hook.Headers[Fleet.Server.Alerting.AlertSinks.SignatureHeader]);
        await Poll.UntilAsync(() => Task.FromResult(receiver.Received.Any(p => p.Path == "/alertmanager" && (string?)p.Json["groupLabels"]?["model"] == name
            && (string)p.Json["status"]! == "firing")), DrillCluster.Wait, "the rollback's alert from Alertmanager");
        await cluster.Silos.First(s => s != coordinator && s != entry).KillAsync();
        var after = await WaitIncidentAsync(entry, name);
        Assert.Equal(((string)incident["id"]!, (string)incident["mitigated_at"]!), ((string)after["id"]!, (string)after["mitigated_at"]!));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"measured: coordinator silo killed mid-decision (NaN version promoted): fault -> rollback recorded and silo killed {(killedAt - faultAt).TotalSeconds:0.00} s " +
            $"({(string)rollback["evidence"]!["trigger"]!}), crash -> rollback completed elsewhere {(rolledBackAt - killedAt).TotalSeconds:0.00} s " +
            $"(the killed silo {(placed.Contains(coordinatorHost) ? "held" : "did not hold")} a replica); {client.Summary(since)}");
    }

    private static async Task<JsonNode> WaitIncidentAsync(SiloProcess via, string name)
    {
        JsonNode? found = null;
        await Poll.UntilAsync(async () =>
        {
            var list = JsonNode.Parse(await via.Client.GetStringAsync($"api/v1/incidents?model={name}"))!.AsArray();
            found = list.Count == 1 && (string)list[0]!["state"]! == "mitigated" ? list[0] : null;
            return found is not null;
        }, DrillCluster.Wait, $"one mitigated incident for {name}");
        return found!;
    }
}
