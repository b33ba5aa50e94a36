using Fleet.Abstractions.Alerting;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Statistics;
using Fleet.Server.Alerting;
using Fleet.Server.Protocol;
using Fleet.Abstractions.Security;
using Fleet.Server.Security;

namespace Fleet.Server.Api;

/// <summary>
/// <c>/api/v1/incidents</c>: the list (<c>?model=&amp;state=</c>), one incident with its timeline, a person's
/// action (<c>POST /incidents/{id}/ack|note|resolve</c> with <c>{"actor", "text"}</c>) and the post-mortem draft
/// (<c>GET /incidents/{id}/postmortem</c>, Markdown).
/// </summary>
internal static class IncidentsApi
{
    public static RouteGroupBuilder MapIncidentsApi(this RouteGroupBuilder api)
    {
        var incidents = api.MapGroup("/incidents").WithTags("Incidents");
        incidents.MapGet("", List);
        incidents.MapGet("/{id}", Show);
        incidents.MapPost("/{id}/{action}", Act).Needs(AccessRole.Operate, "acting on an incident");
        incidents.MapGet("/{id}/postmortem", Postmortem);
        return api;
    }

    private static async Task<IncidentView[]> List(HttpContext context, IGrainFactory grains)
    {
        var model = context.Request.Query["model"].ToString();
        var state = AlertsApi.ParseEnum<IncidentState>(context.Request.Query["state"].ToString(), "state");
        var found = await Grain(grains).GetIncidents(model.Length == 0 ? null : model, state);
        return [.. found.Select(i => IncidentView.Of(i, withTimeline: false))];
    }

    private static async Task<IncidentView> Show(string id, IGrainFactory grains) =>
        IncidentView.Of(await Find(grains, id), withTimeline: true);

    private static async Task<IncidentView> Act(string id, string action, HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<ActionRequest>(context, 64 * 1024, allowEmpty: true);
        var incident = await Grain(grains).ActOnIncident(id, action, AlertsApi.Actor(context, body.Actor), body.Text);
        return IncidentView.Of(incident, withTimeline: true);
    }

    private static async Task<IResult> Postmortem(string id, IGrainFactory grains, TimeProvider time)
    {
        var incident = await Find(grains, id);
        var now = time.GetUtcNow();
        var impact = new List<VersionImpact>();
        // Statistics windows end now: since the first evidence, in whole minutes, at most the 24 h they keep.
        var window = TimeSpan.FromMinutes(Math.Clamp(Math.Ceiling((now - incident.StartedAt).TotalMinutes), 1, 24 * 60));
        foreach (var version in incident.Versions)
        {
            var stats = await grains.GetGrain<IVersionStatsGrain>(IVersionStatsGrain.KeyOf(incident.Model, version)).Query(window);
            impact.Add(new VersionImpact(version, window, stats.Requests, stats.Fallbacks.Values.Sum(), stats.Errors));
        }

        return Results.Text(PostmortemWriter.Write(incident, impact, now), "text/markdown; charset=utf-8");
    }

    private static async Task<Incident> Find(IGrainFactory grains, string id) =>
        await Grain(grains).GetIncident(id) ?? throw new RegistryException(RegistryErrorKind.NotFound, $"incident '{id}' not found");

    private static IAlertingGrain Grain(IGrainFactory grains) => grains.GetGrain<IAlertingGrain>(IAlertingGrain.Key);

    internal sealed class ActionRequest
    {
        public string? Actor { get; set; }

        public string? Text { get; set; }
    }
}

/// <summary>An incident as the API and <c>fleet incidents --output json</c> show it; durations in seconds.</summary>
internal sealed record IncidentView(
    string Id, string Model, string Title, Severity Severity, IncidentState State, string[] Versions, string[] Hosts, string[] Alerts,
    DateTimeOffset StartedAt, DateTimeOffset OpenedAt, DateTimeOffset DetectedAt, DateTimeOffset? AcknowledgedAt, DateTimeOffset? MitigatedAt,
    DateTimeOffset? ResolvedAt, double TimeToDetectSeconds, double? TimeToMitigateSeconds, double? TimeToResolveSeconds, IncidentEvent[]? Timeline)
{
    public static IncidentView Of(Incident i, bool withTimeline) => new(
        i.Id, i.Model, i.Title, i.Severity, i.State, i.Versions, i.Hosts, i.Alerts, i.StartedAt, i.DetectedAt, i.DetectedAt,
        i.AcknowledgedAt, i.MitigatedAt, i.ResolvedAt, i.TimeToDetect.TotalSeconds, i.TimeToMitigate?.TotalSeconds, i.TimeToResolve?.TotalSeconds,
        withTimeline ? i.Timeline : null);
}
