using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Monitoring;

/// <summary>
/// Issue 12, "catch it live, fast": each wrong version of samples/generate_wrong.py promoted without reference
/// data (so the promotion gate has nothing to judge and the live path must catch it), after 400 labelled requests
/// on the healthy version 1. Then 50 labelled requests at a time to version 2, the detectors run after each batch,
/// default settings (window 1000, 100 samples, 50 labels): how many labels until the quality drop that rolls it
/// back; and, on a second model fed no labels, how many requests until the label-free overall verdict is drift on
/// its outputs against version 1's.
/// Prints a "measured:" line (docs/drift.md quotes it).
/// </summary>
[Collection(ServerCollection.Name)]
[Trait(Speed.Trait, Speed.Server)]
public sealed class WrongVersionDetectionTests(ServerFixture fixture)
{
    private const int Baseline = 400;
    private const int Batch = 50;
    private const int Limit = 1500;

    private FleetServer Server => fixture.Server;

    [Theory]
    [InlineData("breast-cancer-inverted.onnx", 50, 800, "outputs against the previous version '1': 800 outputs against its last 400: chi2 p=1.2e-11")]
    [InlineData("breast-cancer-collapsed.onnx", 50, 800, "outputs against the previous version '1': collapsed: all 800 outputs are 1, where its last 400 took 2 distinct values (1 in 0.58 of them); class shares 1:1 (entropy 0 bits)")]
    // Its class shares move about 5 points: within what traffic does on its own, so only labels tell (0: not within 1,500 requests).
    [InlineData("breast-cancer-worse.onnx", 200, 0, null)]
    public async Task A_wrong_version_promoted_without_reference_is_caught_on_labels_and_on_its_outputs(string file, int labelsToDrop, int requestsToDrift, string? outputReason)
    {
        // With labels: the quality drop against version 1's realised accuracy rolls it back (and quarantines it).
        var labelled = await PromoteWrongAsync(file);
        var (dropAt, dropReason) = await UntilAsync(labelled, labels: true, run => (string?)run["quality"]?["verdict"] == "quality-drop" ? (string)run["quality"]!["reason"]! : null);
        if (dropAt > 0)
        {
            await Server.WaitRolledBackAsync(labelled.Name, "1");
        }

        // Without labels: the overall drift verdict on its outputs against version 1's, label-free.
        var unlabelled = await PromoteWrongAsync(file);
        var (driftAt, driftReason) = await UntilAsync(unlabelled, labels: false, run => (string)run["overall"]! == "drift"
            ? run["reasons"]!.AsArray().Select(r => (string)r!).FirstOrDefault(r => r.StartsWith("outputs against the previous version '1':", StringComparison.Ordinal))
            : null);

        TestContext.Current.TestOutputHelper?.WriteLine($"measured: {file}: quality drop after {dropAt} labels ({dropReason}); output drift after {driftAt} requests ({driftReason})");
        Assert.Equal((labelsToDrop, requestsToDrift), (dropAt, driftAt));
        Assert.StartsWith("accuracy ", dropReason);
        if (outputReason is not null)
        {
            Assert.StartsWith(outputReason, driftReason);
        }
    }

    private async Task<MonitoredModel> PromoteWrongAsync(string file)
    {
        var model = await MonitoredModel.CreateAsync(Server, settings: new { drift_interval = "1h" });
        await SendAsync(model, "base", 0, Baseline, labels: true);
        await Server.UploadAsync(model.Name, Repo.Sample("testing", file), "2");
        await Server.PromoteAsync(model.Name, "2");
        await Server.WaitServingAsync(model.Name, "2");
        await Server.WaitLastKnownGoodAsync(model.Name, "1"); // else the rollback is skipped: nothing to go back to
        return model;
    }

    /// <summary>Batches of 50 requests to version 2, the detectors after each, until <paramref name="detected"/> gives a reason: (requests sent, reason), or (0, null).</summary>
    private async Task<(int Sent, string? Reason)> UntilAsync(MonitoredModel model, bool labels, Func<JsonNode, string?> detected)
    {
        for (var sent = Batch; sent <= Limit; sent += Batch)
        {
            await SendAsync(model, $"v2x{sent}", Baseline + sent - Batch, Batch, labels);
            var (status, body) = await Server.PostJsonAsync($"api/v1/models/{model.Name}/drift/run", new { });
            Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
            if (detected(body!.AsArray().Single(r => (string)r!["version"]! == "2")!) is { } reason)
            {
                return (sent, reason);
            }
        }

        return (0, null);
    }

    private async Task SendAsync(MonitoredModel model, string prefix, int start, int count, bool labels)
    {
        var rows = Enumerable.Range(start, count).Select(i => MonitoredModel.Data.Rows[i % MonitoredModel.Data.Rows.Length]).ToArray();
        await model.InferAsync(prefix, rows);
        await model.FlushAsync();
        if (!labels)
        {
            return;
        }

        var truth = Enumerable.Range(start, count).Select((r, i) => new { id = $"{prefix}-{i}", label = MonitoredModel.Data.Labels[r % MonitoredModel.Data.Labels.Length] }).ToArray();
        var (status, body) = await Server.PostJsonAsync("api/v1/feedback", new { model = model.Name, labels = truth });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(count, (int)body!["joined"]!);
    }
}
