using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Monitoring;

/// <summary>
/// Issue 12: a version is judged against the world (the previous live version's labels, the user's floors),
/// not only against its own reference, with labels alone: samples/testing/breast-cancer-inverted.onnx answers
/// every row confidently and wrongly, and its own reference agrees with it.
/// </summary>
[Collection(ServerCollection.Name)]
[Trait(Speed.Trait, Speed.Server)]
public sealed class WorldQualityTests(ServerFixture fixture)
{
    private FleetServer Server => fixture.Server;

    [Fact]
    public async Task An_inverted_version_promoted_without_a_labelled_reference_is_rolled_back_on_its_first_50_labels_against_the_previous_live_version()
    {
        var model = await MonitoredModel.CreateAsync(Server, settings: new { drift_interval = "1h" });
        await LabelledTrafficAsync(model, "good", 0, 200);

        // Uploaded without reference data: before, "no labeled reference to compare with" kept it insufficient-data.
        await Server.UploadAsync(model.Name, Repo.Sample("testing", "breast-cancer-inverted.onnx"), "2");
        await Server.PromoteAsync(model.Name, "2");
        await Server.WaitServingAsync(model.Name, "2");
        await Server.WaitLastKnownGoodAsync(model.Name, "1");
        await LabelledTrafficAsync(model, "inverted", 200, 50);
        await model.RunDriftAsync();

        var quality = await Server.GetJsonAsync($"api/v1/models/{model.Name}/quality?version=2");
        Assert.Equal("quality-drop", (string)quality["verdict"]!);
        Assert.Equal(("1", 200), ((string)quality["baseline"]!["version"]!, (int)quality["baseline"]!["labels"]!));
        Assert.Equal("accuracy 0 on 50 labels against the previous live version 1's 0.98 on 200 labels: drop 0.98, at least 0.809 at 99.9% (tolerance 0.05)", (string)quality["reason"]!);
        await Server.WaitRolledBackAsync(model.Name, "1");
        var decision = (await Server.GetJsonAsync($"api/v1/decisions?model={model.Name}"))["decisions"]!.AsArray()[0]!;
        Assert.Equal(("rollback", "2", "1"), ((string)decision["action"]!, (string)decision["from_version"]!, (string)decision["to_version"]!));
        Assert.Contains("against the previous live version 1", (string)decision["reason"]!);

        // The healthy version is judged against the inverted one's labels too, and it is better: no drop.
        Assert.NotEqual("quality-drop", (string)(await Server.GetJsonAsync($"api/v1/models/{model.Name}/quality?version=1"))["verdict"]!);
    }

    [Fact]
    public async Task A_floor_judges_a_version_with_labels_alone_and_is_a_setting()
    {
        var model = await MonitoredModel.CreateAsync(Server, labeledReference: false, settings: new { drift_interval = "1h", quality_floor = "0.9" });
        var config = await Server.GetJsonAsync($"api/v1/models/{model.Name}/config");
        Assert.Equal(0.9, (double)config["monitoring"]!["quality_floor"]!);
        // The labels say the answers are wrong (as for an inverted model): 100 labels against the floor, no reference and no other version.
        var predicted = await model.InferAsync("floor", MonitoredModel.Data.Rows.Take(100).ToArray());
        await model.FlushAsync();
        var (status, _) = await Server.PostJsonAsync("api/v1/feedback", new { model = model.Name, labels = predicted.Select((p, i) => new { id = $"floor-{i}", label = 1 - p }).ToArray() });
        Assert.Equal(HttpStatusCode.OK, status);

        var quality = await Server.GetJsonAsync($"api/v1/models/{model.Name}/quality");
        Assert.Equal("quality-drop", (string)quality["verdict"]!);
        Assert.Equal("accuracy 0 on 100 labels, at most 0.087 at 99.9%: below the floor 0.9", (string)quality["reason"]!);

        var (bad, body) = await Server.SendJsonAsync(HttpMethod.Patch, $"api/v1/models/{model.Name}/config", new { quality_floor = "1.5" });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal("quality_floor: '1.5' is not a number in 0..1", (string)body!["error"]!);
    }

    /// <summary>Rows start..start+count of the sample, one request each, then their true labels.</summary>
    private async Task LabelledTrafficAsync(MonitoredModel model, string prefix, int start, int count)
    {
        var rows = Enumerable.Range(start, count).Select(i => MonitoredModel.Data.Rows[i % MonitoredModel.Data.Rows.Length]).ToArray();
        await model.InferAsync(prefix, rows);
        await model.FlushAsync();
        var labels = Enumerable.Range(start, count).Select((r, i) => new { id = $"{prefix}-{i}", label = MonitoredModel.Data.Labels[r % MonitoredModel.Data.Labels.Length] }).ToArray();
        var (status, body) = await Server.PostJsonAsync("api/v1/feedback", new { model = model.Name, labels });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(count, (int)body!["joined"]!);
    }
}
