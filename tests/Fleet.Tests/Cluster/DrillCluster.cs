using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Cluster;

/// <summary>
/// A real cluster for failure drills: a redis-server and N Fleet silo processes on loopback, fast probes, fault
/// injection on. Helpers register a model, wait for its placement and read decisions. With <c>FLEET_DRILL_LOGS=DIR</c>
/// set, the silos log Fleet at debug and membership at information with UTC timestamps, and each drill's logs are
/// kept under DIR/HHmmss/ (one file per host id) with the drill's marks in DIR/marks.txt.
/// </summary>
internal sealed class DrillCluster : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    public static readonly string[] Settings =
    [
        "--Fleet:Probes:Interval=00:00:01",
        "--Fleet:Probes:Timeout=00:00:02",
        "--Fleet:Coordinator:StatsInterval=00:00:01",
        "--Fleet:FaultInjection:Enabled=true",
    ];

    private readonly RedisServer _redis;
    private readonly TempDirectory _directory;

    private DrillCluster(RedisServer redis, TempDirectory directory, SiloProcess[] silos, string[] ids)
    {
        _redis = redis;
        _directory = directory;
        Silos = silos;
        Ids = ids;
    }

    public SiloProcess[] Silos { get; }

    /// <summary>Each silo's host id (its silo name), in the order of <see cref="Silos"/>.</summary>
    public string[] Ids { get; }

    public static async Task<DrillCluster> StartAsync(int count, params string[] settings)
    {
        var redis = await RedisServer.StartAsync();
        var directory = new TempDirectory();
        var clusterId = Names.Model("drill");
        var data = Path.Combine(directory.Path, "data");
        string[] debug = Environment.GetEnvironmentVariable("FLEET_DRILL_LOGS") is null ? [] : ["--Logging:LogLevel:Fleet=Debug", "--Logging:LogLevel:Orleans.Runtime.MembershipService=Information", "--Logging:Console:FormatterName=simple", "--Logging:Console:FormatterOptions:TimestampFormat=HH:mm:ss.fff ", "--Logging:Console:FormatterOptions:UseUtcTimestamp=true"];
        var starts = Enumerable.Range(0, count).Select(_ => SiloProcess.StartAsync(redis, clusterId, data, directory.Path, [.. Settings, .. settings, .. debug])).ToArray();
        try
        {
            var silos = await Task.WhenAll(starts);
            var ids = await Task.WhenAll(silos.Select(async s => (string)JsonNode.Parse(await s.Client.GetStringAsync("api/v1/status"))!["host"]!["silo"]!));
            // Silos started together answer HTTP before membership has converged; a grain call then may meet a
            // silo still joining (503 "a silo is unavailable"). Start the drill once every silo sees every host active.
            foreach (var silo in silos)
            {
                await Poll.UntilAsync(async () => ActiveHosts(JsonNode.Parse(await silo.Client.GetStringAsync("api/v1/hosts"))!).Length == count,
                    Wait, $"all {count} hosts active in membership as seen by {silo.BaseAddress}");
            }

            return new DrillCluster(redis, directory, silos, ids);
        }
        catch
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
            {
                await start.Result.DisposeAsync();
            }

            await redis.DisposeAsync();
            directory.Dispose();
            throw;
        }
    }

    /// <summary>With <c>FLEET_DRILL_LOGS=DIR</c>: appends a UTC-timestamped line to DIR/marks.txt (the silo logs kept there use the same clock).</summary>
    public static void Mark(string what)
    {
        if (Environment.GetEnvironmentVariable("FLEET_DRILL_LOGS") is { } keep)
        {
            Directory.CreateDirectory(keep);
            File.AppendAllText(Path.Combine(keep, "marks.txt"), $"{DateTime.UtcNow:HH:mm:ss.fff} {what}\n");
        }
    }

    private static string[] ActiveHosts(JsonNode hosts) =>
        [.. ((JsonArray)hosts["hosts"]!).Where(h => (string?)h!["membership"] == "active").Select(h => (string)h!["id"]!)];

    public SiloProcess ById(string id) => Silos[Array.IndexOf(Ids, id)];

    public string IdOf(SiloProcess silo) => Ids[Array.IndexOf(Silos, silo)];

    /// <summary>Registers <paramref name="name"/> with wine as live version 1.</summary>
    public Task<string> RegisterWineAsync(string name) => RegisterAsync(name, "wine");

    /// <summary>Registers <paramref name="name"/> with the bundled <paramref name="sample"/> as live version 1 (reference: its labeled CSV); returns its SHA-256.</summary>
    public async Task<string> RegisterAsync(string name, string sample)
    {
        var client = Silos[0].Client;
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("api/v1/models", Json(new { name, task = "classification" }))).StatusCode);
        var v1 = (string)(await UploadAsync(name, sample, "1", Repo.Sample(sample, "model.onnx")))["sha256"]!;
        await PromoteAsync(name, "1");
        return v1;
    }

    /// <summary>The hosts the model is placed on, read from a live silo.</summary>
    public async Task<string[]?> ReplicasAsync(SiloProcess via, string name)
    {
        var replicas = JsonNode.Parse(await via.Client.GetStringAsync($"api/v1/models/{name}"))!["replicas"];
        return replicas is JsonArray array ? [.. array.Select(r => (string)r!["host"]!).Order(StringComparer.Ordinal)] : null;
    }

    /// <summary>Waits until the model is placed on <paramref name="count"/> live hosts and each of them serves it, ready.</summary>
    public async Task<string[]> WaitPlacedAsync(SiloProcess via, string name, int count, string version, Func<string[], bool>? also = null)
    {
        string[] placed = [];
        await Poll.UntilAsync(async () =>
        {
            placed = await ReplicasAsync(via, name) ?? [];
            if (placed.Length != count || !placed.All(Ids.Contains) || placed.Any(p => ById(p).HasExited) || (also is not null && !also(placed)))
            {
                return false;
            }

            foreach (var host in placed)
            {
                var response = await ById(host).Client.GetAsync($"v2/models/{name}/ready");
                if (response.StatusCode != HttpStatusCode.OK || (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["version"] != version)
                {
                    return false;
                }
            }

            return true;
        }, Wait, $"{name} placed on {count} hosts, each serving version {version}");
        return placed;
    }

    public static async Task<JsonNode[]> DecisionsAsync(SiloProcess via, string name) =>
        [.. JsonNode.Parse(await via.Client.GetStringAsync($"api/v1/decisions?model={name}"))!["decisions"]!.AsArray().Select(d => d!)];

    /// <summary>Polls for the first decision matching <paramref name="match"/> that is done.</summary>
    public static async Task<JsonNode> WaitDecisionAsync(SiloProcess via, string name, Func<JsonNode, bool> match, string what)
    {
        JsonNode? found = null;
        await Poll.UntilAsync(async () =>
        {
            var response = await via.Client.GetAsync($"api/v1/decisions?model={name}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false; // 503 while a grain's silo is being declared dead
            }

            found = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["decisions"]!.AsArray()
                .FirstOrDefault(d => match(d!) && (string)d!["status"]! == "done");
            return found is not null;
        }, Wait, what);
        return found!;
    }

    public static DateTimeOffset TimeOf(JsonNode decision, string field = "time") =>
        DateTimeOffset.Parse((string)decision[field]!, System.Globalization.CultureInfo.InvariantCulture);

    public static StringContent Json(object body) => new(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    public async Task PromoteAsync(string name, string version)
    {
        var response = await Silos[0].Client.PostAsync($"api/v1/models/{name}/versions/{version}/promote", Json(new { }));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Uploads <paramref name="onnx"/> as <paramref name="version"/> with <paramref name="sample"/>'s labeled reference.</summary>
    public async Task<JsonNode> UploadAsync(string name, string sample, string version, string onnx)
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(await File.ReadAllBytesAsync(onnx)), "file", Path.GetFileName(onnx) },
            { new ByteArrayContent(await File.ReadAllBytesAsync(Repo.Sample(sample, "reference_labeled.csv"))), "reference", "reference_labeled.csv" },
            { new StringContent("target"), "label_column" },
            { new StringContent(version), "version" },
        };
        var response = await Silos[0].Client.PostAsync($"api/v1/models/{name}/versions", form);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonNode.Parse(text)!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }

        await _redis.DisposeAsync();
        if (Environment.GetEnvironmentVariable("FLEET_DRILL_LOGS") is { } keep)
        {
            var to = Path.Combine(keep, DateTime.UtcNow.ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(to);
            for (var i = 0; i < Silos.Length; i++)
            {
                File.Copy(Silos[i].LogPath, Path.Combine(to, $"{Ids[i]}.log"));
            }
        }

        _directory.Dispose();
    }
}
