using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Hosts;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Monitoring;
using Fleet.Server.Hosting;
using Fleet.Server.Serving;
using Fleet.Server.Tracing;

namespace Fleet.Server.Api;

/// <summary>
/// <c>GET /api/v1/traces/{id}</c>: what one prediction went through (<see cref="RequestTrace"/>), from the silo that ran
/// it (this one, else each other active silo is asked), with its label when one arrived and the signals that name it.
/// <c>?local=true</c> looks on this silo only (what silos ask each other).
/// </summary>
internal static class TracesApi
{
    public static RouteGroupBuilder MapTracesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/traces/{id}", Get).WithTags("Traces");
        return api;
    }

    private static async Task<IResult> Get(string id, bool? local, HttpContext context, TraceLedger ledger, HostIdentity self, IGrainFactory grains,
        IClusterMembershipService membership, IHttpClientFactory http)
    {
        var trace = ledger.Find(id) is { } here ? Json(here) : null;
        var unasked = new List<string>();
        if (trace is null && local != true)
        {
            trace = await AskOthersAsync(id, context, self, grains, membership, http, unasked);
        }

        if (trace is null)
        {
            // Never a silent "not found" when part of the cluster could not be asked: it says which silos and why.
            var gaps = unasked.Count == 0 ? "" : $"; not asked: {string.Join("; ", unasked)}";
            throw new RegistryException(RegistryErrorKind.NotFound,
                $"trace '{id}' not found on any silo (each keeps its answered requests up to Fleet:Tracing:Capacity, for Fleet:Tracing:Retention; this one holds {ledger.Count}, {ledger.Evicted} evicted so far){gaps}");
        }

        if (local != true)
        {
            await AddLabelAndSignalsAsync(trace, id, grains);
        }

        return Results.Json(trace);
    }

    private static JsonObject Json(RequestTrace t) => new()
    {
        ["id"] = t.Id,
        ["model"] = t.Model,
        ["version"] = t.Version,
        ["answered_by"] = t.AnsweredBy,
        ["host"] = t.Host,
        ["at"] = t.At.ToString("O"),
        ["latency_ms"] = Math.Round(t.LatencyMs, 3),
        ["outcome"] = t.Outcome,
        ["forwarded_by"] = t.ForwardedBy,
        ["provider"] = t.Provider,
        ["input_checks"] = new JsonArray([.. t.InputChecks.Select(c => (JsonNode)c)]),
        ["outlier_rows"] = t.OutlierRows,
        ["output_check"] = t.Fallback is null ? "passed" : "failed",
        ["fallback"] = t.Fallback,
        ["trace_id"] = t.TraceId,
    };

    /// <summary>Each other active silo, by the URL it reports, with this request's admin token; the first that has it answers.</summary>
    private static async Task<JsonObject?> AskOthersAsync(string id, HttpContext context, HostIdentity self, IGrainFactory grains,
        IClusterMembershipService membership, IHttpClientFactory http, List<string> unasked)
    {
        var others = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active && m.Name != self.Name).Select(m => m.Name).ToArray();
        var client = http.CreateClient(nameof(TracesApi));
        foreach (var name in others)
        {
            string? url;
            try
            {
                url = (await grains.GetGrain<IHostGrain>(name).GetView())?.Last.Url;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                unasked.Add($"{name} (its host grain: {ex.Message})");
                continue;
            }

            if (url is null)
            {
                unasked.Add($"{name} (no HTTP address reported yet)");
                continue;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, $"{url.TrimEnd('/')}/api/v1/traces/{Uri.EscapeDataString(id)}?local=true");
            if (AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization.ToString(), out var auth))
            {
                request.Headers.Authorization = auth;
            }

            try
            {
                using var response = await client.SendAsync(request, context.RequestAborted);
                if (response.IsSuccessStatusCode)
                {
                    return JsonNode.Parse(await response.Content.ReadAsStringAsync(context.RequestAborted)) as JsonObject;
                }

                if (response.StatusCode != System.Net.HttpStatusCode.NotFound)
                {
                    unasked.Add($"{name} (HTTP {(int)response.StatusCode})");
                }
            }
            catch (HttpRequestException ex)
            {
                unasked.Add($"{name} ({ex.Message})");
            }
        }

        return null;
    }

    private static async Task AddLabelAndSignalsAsync(JsonObject trace, string id, IGrainFactory grains)
    {
        var model = (string)trace["model"]!;
        var version = (string)trace["version"]!;
        var at = DateTimeOffset.Parse((string)trace["at"]!, System.Globalization.CultureInfo.InvariantCulture);
        var labels = await grains.GetGrain<IModelMonitorGrain>(model).GetLabels(version, at.AddMinutes(-1));
        var label = labels.FirstOrDefault(l => l.Id == id || l.Id.StartsWith(id + "#", StringComparison.Ordinal));
        trace["label"] = label is null ? null : new JsonObject { ["value"] = label.Label, ["labeled_at"] = label.LabeledAt.ToString("O") };
        var signals = await grains.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).GetSignals(model, SignalsScanned);
        trace["signals"] = new JsonArray([.. signals.Where(s => s.RequestIds?.Contains(id) == true).Select(s => (JsonNode)s.Id!)]);
        // Not tracked yet: reviews and canary arms (issues 16 and 18).
        trace["review"] = null;
        trace["canary_arm"] = null;
    }

    // As many as the coordinator keeps.
    private const int SignalsScanned = 1000;
}
