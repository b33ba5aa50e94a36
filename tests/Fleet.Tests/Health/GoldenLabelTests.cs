using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Health;

/// <summary>
/// Issue 12: a golden set recorded from labelled reference rows keeps their labels, so a wrong model's own answers
/// are not the whole truth: forced live past the promotion gate, the inverted version matches its recorded
/// outputs but fails its probe on the labels, and the coordinator takes it out. Runs on the probing server (1 s probes).
/// </summary>
[Collection(ProbingServerCollection.Name)]
[Trait(Speed.Trait, Speed.Server)]
public sealed class GoldenLabelTests(ProbingServerFixture fixture)
{
    private FleetServer Server => fixture.Server;

    [Fact]
    public async Task An_inverted_version_forced_live_fails_its_golden_probe_on_the_reference_labels_and_is_rolled_back()
    {
        var name = Names.Model("goldlab");
        var reference = Repo.Sample("breast-cancer", "reference_labeled.csv");
        await Server.RegisterAsync(name);
        await Server.UploadWithReferenceAsync(name, Repo.Sample("breast-cancer", "model.onnx"), reference, "1", "target");
        await Server.PromoteAsync(name, "1");
        await Server.WaitServingAsync(name, "1");
        await Server.UploadWithReferenceAsync(name, Repo.Sample("testing", "breast-cancer-inverted.onnx"), reference, "2", "target");

        var (status, body) = await Server.PostJsonAsync($"api/v1/models/{name}/versions/2/promote", new { force = true, reason = "drill" });
        Assert.True(status == System.Net.HttpStatusCode.OK, body?.ToJsonString());

        await Poll.UntilAsync(async () => (string?)(await Server.GetJsonAsync($"api/v1/models/{name}"))["live_version"] == "1",
            TimeSpan.FromSeconds(60), "the rollback of the inverted version");
        var decision = (await Server.GetJsonAsync($"api/v1/decisions?model={name}"))["decisions"]!.AsArray()[0]!;
        Assert.Equal(("rollback", "golden_all_hosts"), ((string)decision["action"]!, (string)decision["evidence"]!["trigger"]!));
        Assert.Contains("16 golden rows match their recorded outputs (reference data: first 16 rows) but the answers agree with the reference labels on 0 of 16 golden rows " +
            "(at most 0.374 at 99.9%): the model is wrong on its own golden set", (string)decision["reason"]!);
        Assert.Equal("quarantined", (string)(await Server.GetJsonAsync($"api/v1/models/{name}/versions/2"))["state"]!);
    }
}
