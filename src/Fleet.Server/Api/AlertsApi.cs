using System.Globalization;
using Fleet.Abstractions.Alerting;
using Fleet.Server.Protocol;
using Fleet.Abstractions.Security;
using Fleet.Server.Security;

namespace Fleet.Server.Api;

/// <summary>
/// <c>/api/v1/alerts</c>: the alerts (<c>?state=firing&amp;model=M</c>), the alerting status (sinks, outbox,
/// deliveries) and silences (<c>POST /alerts/silences</c> with matchers and a duration, <c>DELETE /alerts/silences/{id}</c>).
/// </summary>
internal static class AlertsApi
{
    /// <summary>The longest silence: a silence is for an outage or a maintenance, not a way to turn a rule off.</summary>
    public static readonly TimeSpan LongestSilence = TimeSpan.FromDays(90);

    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder api)
    {
        var alerts = api.MapGroup("/alerts").WithTags("Alerts");
        alerts.MapGet("", ListAlerts);
        alerts.MapGet("/status", (IGrainFactory grains) => Grain(grains).GetStatus());
        alerts.MapGet("/budget", (IGrainFactory grains) => grains.GetGrain<Fleet.Abstractions.Coordination.ICoordinatorGrain>(Fleet.Abstractions.Coordination.ICoordinatorGrain.Key).GetAlarmBudget());
        alerts.MapGet("/silences", (IGrainFactory grains) => Grain(grains).GetSilences());
        alerts.MapPost("/silences", AddSilence).Needs(AccessRole.Admin, "adding a silence");
        alerts.MapDelete("/silences/{id}", (string id, HttpContext context, IGrainFactory grains) =>
            Grain(grains).ExpireSilence(id, Actor(context, null))).Needs(AccessRole.Admin, "expiring a silence");
        return api;
    }

    private static async Task<Alert[]> ListAlerts(HttpContext context, IGrainFactory grains)
    {
        var query = context.Request.Query;
        var state = ParseEnum<AlertState>(query["state"].ToString(), "state");
        var model = query["model"].ToString();
        var fingerprint = query["fingerprint"].ToString();
        var all = await Grain(grains).GetAlerts(state);
        return [.. all.Where(a => (model.Length == 0 || a.Model == model) && (fingerprint.Length == 0 || a.Fingerprint == fingerprint))];
    }

    private static async Task<Silence> AddSilence(HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<SilenceRequest>(context, 64 * 1024, allowEmpty: false);
        if (body.Matchers is not { Length: > 0 })
        {
            throw new InvalidRequestException("matchers: give at least one label matcher (e.g. [\"model=churn\"])");
        }

        var duration = ParseDuration(body.Duration, "duration") ?? throw new InvalidRequestException("duration: required (e.g. \"2h\")");
        return await Grain(grains).AddSilence(body.Matchers, duration, body.Comment ?? "", Actor(context, body.Actor));
    }

    /// <summary>A positive whole number and s, m, h or d (<c>90m</c>, <c>2h</c>, <c>7d</c>), at most <see cref="LongestSilence"/>.</summary>
    public static TimeSpan? ParseDuration(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var value = text.Trim();
        var unit = char.ToLowerInvariant(value[^1]);
        if (value.Length < 2 || !long.TryParse(value[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0
            || unit is not ('s' or 'm' or 'h' or 'd'))
        {
            throw new InvalidRequestException($"{field}: '{text}' is not a duration (a positive whole number and s, m, h or d, e.g. 2h)");
        }

        var span = unit switch { 's' => TimeSpan.FromSeconds(n), 'm' => TimeSpan.FromMinutes(n), 'h' => TimeSpan.FromHours(n), _ => TimeSpan.FromDays(n) };
        return span <= LongestSilence ? span : throw new InvalidRequestException($"{field}: '{text}' is longer than {LongestSilence.TotalDays} days");
    }

    public static T? ParseEnum<T>(string text, string field) where T : struct, Enum
    {
        if (text.Length == 0)
        {
            return null;
        }

        var match = Enum.GetValues<T>().Where(v => Alerting.AlertPayloads.Word(v) == text).Select(v => (T?)v).FirstOrDefault();
        return match ?? throw new InvalidRequestException(
            $"{field}: '{text}' is not one of {string.Join(", ", Enum.GetValues<T>().Select(v => Alerting.AlertPayloads.Word(v)))}");
    }

    /// <summary>Who acts: the token's name; the body's actor, else the <c>Fleet-Actor</c> header (the CLI sends $FLEET_ACTOR, else $USER), as a note beside it.</summary>
    public static string Actor(HttpContext context, string? fromBody) => AccessContext.Actor(context, fromBody);

    private static IAlertingGrain Grain(IGrainFactory grains) => grains.GetGrain<IAlertingGrain>(IAlertingGrain.Key);

    internal sealed class SilenceRequest
    {
        public string[]? Matchers { get; set; }

        public string? Duration { get; set; }

        public string? Comment { get; set; }

        public string? Actor { get; set; }
    }
}
