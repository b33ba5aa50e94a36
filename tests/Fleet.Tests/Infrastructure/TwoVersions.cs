using System.Text.Json.Nodes;

namespace Fleet.Tests.Infrastructure;

/// <summary>A model with a good version 1 and a faulty version 2 live over it (1 its last-known-good), and waiting on the coordinator's decision.</summary>
internal static class TwoVersions
{
    public static async Task<(string Name, string V1Sha, string V2Sha)> CreateAsync(FleetServer server, string prefix, string sample, string v2Path)
    {
        var name = Names.Model(prefix);
        await server.RegisterAsync(name);
        var reference = Repo.Sample(sample, "reference_labeled.csv");
        var v1 = await server.UploadWithReferenceAsync(name, Repo.Sample(sample, "model.onnx"), reference, "1", "target");
        using var dir = new TempDirectory();
        var v2 = await server.UploadWithReferenceAsync(name, UniqueCopy(v2Path, dir.Path), reference, "2", "target");
        await server.PromoteAsync(name, "1");
        await server.PromoteAsync(name, "2");
        await server.WaitFallbackAsync(name, "2", "1");
        return (name, (string)v1["sha256"]!, (string)v2["sha256"]!);
    }

    /// <summary>
    /// The same graph with a distinct SHA-256: a ModelProto doc_string field (6) appended, which protobuf merges in. Tests
    /// that break an artifact on disk must not break another test's model that shares its content address.
    /// </summary>
    public static string UniqueCopy(string path, string directory)
    {
        var tag = System.Text.Encoding.UTF8.GetBytes($"test {Guid.NewGuid():N}");
        var copy = Path.Combine(directory, Path.GetFileName(path));
        File.WriteAllBytes(copy, [.. File.ReadAllBytes(path), 0x32, (byte)tag.Length, .. tag]);
        return copy;
    }

    /// <summary>The model's first decision of <paramref name="action"/> that is no longer pending.</summary>
    public static async Task<JsonNode> WaitDecisionAsync(FleetServer server, string model, string action, TimeSpan wait)
    {
        JsonNode? found = null;
        await Poll.UntilAsync(async () => (found = (await server.GetJsonAsync($"api/v1/decisions?model={model}"))["decisions"]!.AsArray()
            .FirstOrDefault(d => (string)d!["action"]! == action && (string)d["status"]! != "pending")) is not null, wait, $"a {action} decision on {model}");
        return found!;
    }
}
