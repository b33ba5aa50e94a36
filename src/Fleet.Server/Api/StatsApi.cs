using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Statistics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Fleet.Server.Protocol;
using Fleet.Statistics;

namespace Fleet.Server.Api;

/// <summary><c>GET /api/v1/models/{m}[/versions/{v}]/stats?window=5m</c>: live statistics merged across silos.</summary>
internal static class StatsApi
{
    public static RouteGroupBuilder MapStatsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/models/{name}/stats", async (string name, string? window, IGrainFactory grains, IOptions<JsonOptions> json) =>
        {
            var info = await grains.GetGrain<IModelGrain>(ValidName(name)).TryGetInfo()
                ?? throw new RegistryException(RegistryErrorKind.NotFound, $"model '{name}' not found");
            var version = info.LiveVersion ?? throw new RegistryException(RegistryErrorKind.Conflict,
                $"model '{name}' has no live version; ask for one: /api/v1/models/{name}/versions/{{version}}/stats");
            return await Query(grains, name, version, window, json.Value.SerializerOptions);
        });
        api.MapGet("/models/{name}/versions/{version}/stats", async (string name, string version, string? window, IGrainFactory grains, IOptions<JsonOptions> json) =>
        {
            await grains.GetGrain<IModelGrain>(ValidName(name)).GetVersion(version);
            return await Query(grains, name, version, window, json.Value.SerializerOptions);
        });
        return api;
    }

    private static async Task<JsonObject> Query(IGrainFactory grains, string model, string version, string? window, JsonSerializerOptions json)
    {
        window ??= "5m";
        if (!WindowParser.TryParse(window, out var span, out var error))
        {
            throw new InvalidRequestException($"window: {error}");
        }

        var snapshot = await grains.GetGrain<IVersionStatsGrain>(IVersionStatsGrain.KeyOf(model, version)).Query(span);
        var summary = JsonSerializer.SerializeToNode(StatsSummary.From(snapshot, span), json)!.AsObject();
        summary.Insert(0, "model", model);
        summary.Insert(1, "version", version);
        summary.Insert(2, "window", window);
        return summary;
    }

    private static string ValidName(string name) =>
        ModelNames.IsValidName(name) ? name : throw new RegistryException(RegistryErrorKind.NotFound, $"model '{name}' not found");
}
