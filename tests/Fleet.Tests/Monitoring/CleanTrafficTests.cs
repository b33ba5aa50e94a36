using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Tests.Monitoring;

/// <summary>
/// Never hurt a healthy model: 10,000 clean one-row requests per bundled sample, labels fed back every 100
/// requests and the detectors run after each 100 (100 checks, far more often than the 30 s default would for
/// most traffic), default settings otherwise. Clean traffic is the sample's own rows resampled, exactly and
/// with 1 % noise (a few hundred distinct rows, as small real datasets are). Asserts zero decisions, zero
/// retraining requests, zero overall drift, no quality drop, no alert and no incident; prints a "measured:" line (docs/drift.md).
/// </summary>
[Trait(Speed.Trait, Speed.Server)]
public sealed class CleanTrafficTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const int Requests = 10_000;
    private const int Every = 100;

    [Theory]
    [InlineData("breast-cancer", 0.0)]
    [InlineData("breast-cancer", 0.01)]
    [InlineData("wine", 0.0)]
    [InlineData("wine", 0.01)]
    [InlineData("diabetes", 0.0)]
    [InlineData("diabetes", 0.01)]
    public async Task Clean_traffic_with_labels_leads_to_no_decision_no_retraining_and_no_drift(string sample, double noise)
    {
        var server = fixture.Server;
        var name = Names.Model("clean");
        var (rows, labels, regression) = Read(sample);
        await server.RegisterAsync(name, regression ? "regression" : "classification");
        await server.UploadWithReferenceAsync(name, Repo.Sample(sample, "model.onnx"), Repo.Sample(sample, "reference_labeled.csv"), "1", "target");
        // The detectors run when this test says, not on the grain timer as well.
        await server.ConfigureAsync(name, new { drift_interval = "1h" });
        await server.PromoteAsync(name, "1");
        await server.WaitServingAsync(name, "1");

        var random = new Random(20261207);
        var continuous = Enumerable.Range(0, rows[0].Length).Select(c => rows.Select(r => r[c]).Distinct().Count() > 20).ToArray();
        var verdicts = new Dictionary<string, int>(StringComparer.Ordinal);
        var quality = new Dictionary<string, int>(StringComparer.Ordinal);
        var featureFires = 0;
        var firedBy = new Dictionary<string, int>(StringComparer.Ordinal);
        var components = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var sent = 0; sent < Requests; sent += Every)
        {
            var picks = Enumerable.Range(0, Every).Select(_ => random.Next(rows.Length)).ToArray();
            // Noise on measurements, not on codes: a column with few distinct values (sex: 1 or 2) is categorical.
            var values = picks.Select(p => rows[p].Select((v, c) => noise == 0 || !continuous[c] ? v : v * (1 + noise * Seeded.Normal(random))).ToArray()).ToArray();
            var answers = await Task.WhenAll(values.Select((v, i) => InferAsync(server, name, $"c{sent + i}", v)));
            Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a));
            // The predictions reach the store before their labels are sent (the 1 s loop's work, done now).
            await server.Services.GetRequiredService<Fleet.Server.Monitoring.MonitorFlushService>().FlushAsync(CancellationToken.None);
            var (status, body) = await server.PostJsonAsync("api/v1/feedback", new
            {
                model = name,
                labels = picks.Select((p, i) => new { id = $"c{sent + i}", label = labels[p] }).ToArray(),
            });
            Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
            Assert.Equal(Every, (int)body!["joined"]!);
            (status, body) = await server.PostJsonAsync($"api/v1/models/{name}/drift/run", new { });
            Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
            var run = body!.AsArray().Single(r => (string)r!["version"]! == "1")!;
            Count(verdicts, (string)run["overall"]!);
            Count(quality, (string?)run["quality"]?["verdict"] ?? "none");
            foreach (var reason in run["reasons"]!.AsArray())
            {
                // "sequential fired, not confirmed: ..." -> "sequential"; "feature 'x' drifted ..." -> "feature".
                Count(components, $"{(string)run["overall"]!}: {((string)reason!).Split(' ', ':')[0]}");
            }

            foreach (var fired in run["features"]!.AsArray().Where(f => (string)f!["verdict"]! is "drift" or "suspected"))
            {
                featureFires++;
                Count(firedBy, $"{(string)fired!["name"]!} ({(string)fired["verdict"]!})");
            }
        }

        var decisions = (await server.GetJsonAsync($"api/v1/decisions?model={name}"))["decisions"]!.AsArray();
        var retrain = (await server.GetJsonAsync($"api/v1/models/{name}/retrain")).AsArray();
        var model = await server.GetJsonAsync($"api/v1/models/{name}");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"measured: {sample}, {(noise == 0 ? "exact rows" : "1% noise")}, {rows.Length} distinct rows, {Requests} requests, {Requests / Every} checks: " +
            $"overall {Describe(verdicts)}{(components.Count > 0 ? $" (reasons: {Describe(components)})" : "")}; quality {Describe(quality)}; feature verdicts drift or suspected {featureFires}{(firedBy.Count > 0 ? $" ({Describe(firedBy)})" : "")}; decisions {decisions.Count}; retraining requests {retrain.Count}");
        Assert.Equal(0, verdicts.GetValueOrDefault("drift"));
        Assert.Equal(0, quality.GetValueOrDefault("quality-drop") + quality.GetValueOrDefault("estimated-quality-drop"));
        Assert.Empty(decisions);
        Assert.Empty(retrain);
        // And nothing announced: no alert in any state, no incident (issue 14: clean traffic alerts nobody).
        await server.GetJsonAsync("api/v1/alerts/status"); // the alerting grain has taken every signal sent before this call
        Assert.Empty((await server.GetJsonAsync($"api/v1/alerts?model={name}")).AsArray());
        Assert.Empty((await server.GetJsonAsync($"api/v1/incidents?model={name}")).AsArray());
        Assert.Equal("1", (string)model["live_version"]!);
    }

    private static async Task<HttpStatusCode> InferAsync(FleetServer server, string name, string id, double[] values)
    {
        var (status, _) = await server.PostJsonAsync($"v2/models/{name}/infer", new JsonObject
        {
            ["id"] = id,
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = "input",
                ["shape"] = new JsonArray(1, values.Length),
                ["datatype"] = "FP32",
                ["data"] = new JsonArray(values.Select(v => (JsonNode)v).ToArray()),
            }),
        });
        return status;
    }

    private static (double[][] Rows, double[] Labels, bool Regression) Read(string sample)
    {
        var lines = File.ReadAllLines(Repo.Sample(sample, "data.csv")).Skip(1).Where(l => l.Length > 0).ToArray();
        var cells = lines.Select(l => l.Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return (cells.Select(c => c[..^1]).ToArray(), cells.Select(c => c[^1]).ToArray(), sample == "diabetes");
    }


    private static void Count(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    private static string Describe(Dictionary<string, int> counts) =>
        string.Join(", ", counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"));
}
