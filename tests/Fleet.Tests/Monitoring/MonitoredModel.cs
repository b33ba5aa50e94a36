using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Fleet.Server.Monitoring;
using Fleet.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Tests.Monitoring;

/// <summary>
/// A fresh breast-cancer model (random name) on a test server, uploaded with the labeled reference, and helpers
/// that send the sample's rows one request each with known ids, then drain the monitoring path deterministically.
/// </summary>
internal sealed class MonitoredModel
{
    private MonitoredModel(FleetServer server, string name)
    {
        Server = server;
        Name = name;
    }

    public FleetServer Server { get; }

    public string Name { get; }

    /// <summary>The sample's 569 rows (30 features) and labels.</summary>
    public static (double[][] Rows, int[] Labels) Data { get; } = ReadData();

    public static async Task<MonitoredModel> CreateAsync(FleetServer server, bool labeledReference = true, object? settings = null)
    {
        var model = new MonitoredModel(server, Names.Model("drift"));
        await server.RegisterAsync(model.Name);
        if (labeledReference)
        {
            await server.UploadWithReferenceAsync(model.Name, Repo.Sample("breast-cancer", "model.onnx"), Repo.Sample("breast-cancer", "reference_labeled.csv"), "1", "target");
        }
        else
        {
            await server.UploadAsync(model.Name, Repo.Sample("breast-cancer", "model.onnx"), "1");
        }

        if (settings is not null)
        {
            await server.ConfigureAsync(model.Name, settings);
        }

        await server.PromoteAsync(model.Name, "1");
        await server.WaitServingAsync(model.Name, "1");
        return model;
    }

    /// <summary>Sends each row as its own request with id PREFIX-i; returns the predicted classes.</summary>
    public async Task<int[]> InferAsync(string prefix, IReadOnlyList<double[]> rows, Func<double, int, double>? transform = null, string? version = null)
    {
        var path = version is null ? $"v2/models/{Name}/infer" : $"v2/models/{Name}/versions/{version}/infer";
        var predicted = new int[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var values = rows[i].Select((v, c) => transform?.Invoke(v, c) ?? v).ToArray();
            var request = new JsonObject
            {
                ["id"] = $"{prefix}-{i}",
                ["inputs"] = new JsonArray(new JsonObject
                {
                    ["name"] = "input",
                    ["shape"] = new JsonArray(1, values.Length),
                    ["datatype"] = "FP32",
                    ["data"] = new JsonArray(values.Select(v => (JsonNode)v).ToArray()),
                }),
            };
            var (status, body) = await Server.PostJsonAsync(path, request);
            Assert.True(status == HttpStatusCode.OK, $"infer {i}: {(int)status} {body?.ToJsonString()}");
            Assert.Equal($"{prefix}-{i}", (string)body!["id"]!);
            var outputs = body["outputs"]!.AsArray();
            var probabilities = outputs.Single(o => (string)o!["name"]! == "probabilities")!["data"]!.AsArray().Select(p => (double)p!).ToArray();
            predicted[i] = probabilities[1] > probabilities[0] ? 1 : 0;
        }

        return predicted;
    }

    /// <summary>Drains this silo's monitoring queue into the store and the monitor grain (what the 1 s loop does).</summary>
    public Task FlushAsync() => Server.Services.GetRequiredService<MonitorFlushService>().FlushAsync(CancellationToken.None);

    /// <summary>
    /// Sends <paramref name="checks"/> chunks of window / 3 rows (the sample's rows, cycled, transformed), running the
    /// detectors after each: a drift is confirmed only over 3 counted checks, each after that many new rows
    /// (<see cref="Fleet.Drift.DriftConfirmation"/>). Returns each check's runs (one per version judged).
    /// </summary>
    public async Task<List<JsonArray>> InferCheckedAsync(string prefix, int window, int checks, Func<double, int, double>? transform, string? version = null)
    {
        var chunk = (int)Fleet.Drift.DriftConfirmation.FreshRowsPerCheck(window);
        var all = new List<JsonArray>();
        for (var c = 0; c < checks; c++)
        {
            var rows = Enumerable.Range(c * chunk, chunk).Select(i => Data.Rows[i % Data.Rows.Length]).ToArray();
            await InferAsync($"{prefix}{c}", rows, transform, version);
            await FlushAsync();
            var (status, body) = await Server.PostJsonAsync($"api/v1/models/{Name}/drift/run", new { });
            Assert.True(status == HttpStatusCode.OK, $"drift run: {(int)status} {body?.ToJsonString()}");
            all.Add(body!.AsArray());
        }

        return all;
    }

    /// <summary>The overall verdict of <paramref name="version"/> in each check of <see cref="InferCheckedAsync"/>.</summary>
    public static string[] Overall(IEnumerable<JsonArray> checks, string version) =>
        [.. checks.Select(runs => (string)runs.Single(r => (string)r!["version"]! == version)!["overall"]!)];

    public async Task<JsonNode> RunDriftAsync()
    {
        await FlushAsync();
        var (status, body) = await Server.PostJsonAsync($"api/v1/models/{Name}/drift/run", new { });
        Assert.True(status == HttpStatusCode.OK, $"drift run: {(int)status} {body?.ToJsonString()}");
        return await Server.GetJsonAsync($"api/v1/models/{Name}/drift");
    }

    private static (double[][] Rows, int[] Labels) ReadData()
    {
        var lines = File.ReadAllLines(Repo.Sample("breast-cancer", "data.csv")).Skip(1).Where(l => l.Length > 0).ToArray();
        var cells = lines.Select(l => l.Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return (cells.Select(c => c[..^1]).ToArray(), cells.Select(c => (int)c[^1]).ToArray());
    }
}
