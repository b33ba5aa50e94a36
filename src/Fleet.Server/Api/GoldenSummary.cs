using System.Text.Json.Nodes;
using Fleet.Abstractions.Models;
using Fleet.Server.Health;

namespace Fleet.Server.Api;

/// <summary>What an upload's 201 says about the golden set recorded for the version.</summary>
internal sealed record GoldenSummary(string Source, long Rows, string[] Outputs, double Tolerance, double RelativeTolerance)
{
    public static GoldenSummary? Of(GoldenSet? golden) => golden is null ? null
        : new GoldenSummary(golden.Source, golden.Rows, golden.Expected.Select(e => e.Name).ToArray(), golden.Tolerance, golden.RelativeTolerance);

    /// <summary>Why a version has no golden set, and how it gets one.</summary>
    public static string None(ProbeOptions probes) =>
        "it had no golden file and no reference rows it could run when it was added; it is recorded from live traffic once " +
        $"{probes.LiveGoldenRequests} live requests have succeeded on a host (Fleet:Probes:LiveGoldenRequests), and until then the " +
        "version is never a last-known-good";

    /// <summary>The golden-file format (samples/*/golden.json) plus <c>version</c>, <c>source</c> and <c>recorded_at</c>.</summary>
    public static JsonObject ToFile(string model, string version, GoldenSet golden) => new()
    {
        ["model"] = model,
        ["version"] = version,
        ["source"] = golden.Source,
        ["recorded_at"] = golden.RecordedAt,
        ["tolerance"] = golden.Tolerance,
        ["relative_tolerance"] = golden.RelativeTolerance,
        ["request"] = new JsonObject
        {
            ["id"] = $"golden-{model}-{version}",
            ["inputs"] = new JsonArray(golden.Inputs.Select(i => (JsonNode)GoldenTensors.ToJson(i)).ToArray()),
        },
        ["expected"] = new JsonObject { ["outputs"] = new JsonArray(golden.Expected.Select(e => (JsonNode)GoldenTensors.ToJson(e)).ToArray()) },
    };
}
