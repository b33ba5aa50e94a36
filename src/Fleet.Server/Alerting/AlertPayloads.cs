using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Abstractions.Alerting;
using Fleet.Grains.Alerting;

namespace Fleet.Server.Alerting;

/// <summary>
/// The bodies Fleet sends: Alertmanager's API v2 alert list, and Fleet's webhook notification (schema version
/// <see cref="WebhookVersion"/>, documented in docs/alerts.md). Pure: tested against the documented shapes.
/// </summary>
internal static class AlertPayloads
{
    public const string WebhookVersion = "1";

    /// <summary>
    /// <c>POST /api/v2/alerts</c>: labels, annotations, startsAt (when it fired), endsAt (when it resolved; for a
    /// firing alert four re-send intervals ahead, as Prometheus does, so an Alertmanager that stops hearing from
    /// Fleet resolves it), generatorURL.
    /// </summary>
    public static JsonArray Alertmanager(IReadOnlyList<Alert> alerts, DateTimeOffset now, TimeSpan resendInterval, string generatorUrl)
    {
        var list = new JsonArray();
        foreach (var alert in alerts)
        {
            var ends = alert.State == AlertState.Resolved && alert.EndsAt is { } e ? e : now + 4 * resendInterval;
            list.Add(new JsonObject
            {
                ["labels"] = Strings(alert.Labels),
                ["annotations"] = Strings(alert.Annotations),
                ["startsAt"] = (alert.FiredAt ?? alert.StartsAt).ToString("O"),
                ["endsAt"] = ends.ToString("O"),
                ["generatorURL"] = $"{generatorUrl}/api/v1/alerts?fingerprint={alert.Fingerprint}",
            });
        }

        return list;
    }

    /// <summary>Fleet's webhook body: one model's alerts at one change, with the idempotency key a receiver deduplicates on.</summary>
    public static JsonObject Webhook(AlertNotification n, DateTimeOffset now, string generatorUrl) => new()
    {
        ["version"] = WebhookVersion,
        ["idempotency_key"] = n.Id,
        ["sink"] = n.Sink,
        ["status"] = Word(n.Status),
        ["group_key"] = $"{{model=\"{n.Model}\"}}",
        ["model"] = n.Model,
        ["created_at"] = n.CreatedAt.ToString("O"),
        ["sent_at"] = now.ToString("O"),
        ["attempt"] = n.Attempts + 1,
        ["alerts"] = new JsonArray([.. n.Alerts.Select(a => (JsonNode)AlertJson(a, generatorUrl))]),
    };

    public static JsonObject AlertJson(Alert a, string generatorUrl) => new()
    {
        ["fingerprint"] = a.Fingerprint,
        ["status"] = Word(a.State),
        ["severity"] = Word(a.Severity),
        ["labels"] = Strings(a.Labels),
        ["annotations"] = Strings(a.Annotations),
        ["starts_at"] = a.StartsAt.ToString("O"),
        ["fired_at"] = a.FiredAt?.ToString("O"),
        ["ends_at"] = a.EndsAt?.ToString("O"),
        ["value"] = a.Value,
        ["signal_ids"] = new JsonArray([.. a.SignalIds.Select(s => (JsonNode)s)]),
        ["generator_url"] = $"{generatorUrl}/api/v1/alerts?fingerprint={a.Fingerprint}",
    };

    public static string Word<T>(T value) where T : struct, Enum =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static JsonObject Strings(IReadOnlyDictionary<string, string> values)
    {
        var o = new JsonObject();
        foreach (var (k, v) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            o[k] = v;
        }

        return o;
    }
}
