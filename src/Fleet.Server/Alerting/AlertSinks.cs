using System.Security.Cryptography;
using System.Text;
using Fleet.Abstractions.Alerting;
using Fleet.Grains.Alerting;
using Fleet.Server.Hosting;
using Fleet.Server.Telemetry;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Alerting;

/// <summary>
/// Alertmanager (<c>Fleet:Alerting:AlertmanagerUrl</c>) and the webhooks (<c>Fleet:Alerting:Webhooks</c>), one
/// attempt per call; outcomes are counted in <c>fleet_alert_deliveries_total{sink,outcome}</c>. A webhook body is
/// signed with HMAC-SHA256 over its exact bytes: <c>X-Fleet-Signature: sha256=HEX</c>.
/// </summary>
internal sealed class AlertSinks(IHttpClientFactory http, IOptions<AlertingOptions> options, FleetMetrics metrics,
    IOptions<FleetClusterOptions> cluster, TimeProvider time, IServer? server = null) : IAlertSinks
{
    public const string SignatureHeader = "X-Fleet-Signature";
    public const string IdempotencyHeader = "X-Fleet-Idempotency-Key";
    public const string ClientName = "fleet-alerting";

    public IReadOnlyList<string> Webhooks { get; } = [.. options.Value.Webhooks.Select((_, i) => $"webhook-{i}")];

    public bool HasAlertmanager => !string.IsNullOrEmpty(options.Value.AlertmanagerUrl);

    // Alerts link back to this server: the configured external address, else the address other silos use.
    private string GeneratorUrl => (options.Value.ExternalUrl ?? (server is null ? null : AdvertisedUrl.Resolve(server, cluster.Value)) ?? FleetServerExtensions.DefaultUrl).TrimEnd('/');

    public async Task<DeliveryOutcome> SendAlertmanagerAsync(IReadOnlyList<Alert> alerts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var body = AlertPayloads.Alertmanager(alerts, now, options.Value.ResendInterval, GeneratorUrl).ToJsonString();
        var url = options.Value.AlertmanagerUrl!.TrimEnd('/') + "/api/v2/alerts";
        return Count("alertmanager", await PostAsync(url, body, null, cancellationToken));
    }

    public async Task<DeliveryOutcome> SendWebhookAsync(AlertNotification notification, CancellationToken cancellationToken)
    {
        var index = int.Parse(notification.Sink.AsSpan("webhook-".Length), System.Globalization.CultureInfo.InvariantCulture);
        if (index >= options.Value.Webhooks.Count)
        {
            // The sink was removed from the settings since this was queued: say so rather than retry forever.
            return Count(notification.Sink, DeliveryOutcome.Fail($"{notification.Sink} is no longer configured"));
        }

        var sink = options.Value.Webhooks[index];
        var body = AlertPayloads.Webhook(notification, time.GetUtcNow(), GeneratorUrl).ToJsonString();
        var headers = new Dictionary<string, string> { [IdempotencyHeader] = notification.Id };
        if (!string.IsNullOrEmpty(sink.Secret))
        {
            headers[SignatureHeader] = Sign(sink.Secret, body);
        }

        return Count(notification.Sink, await PostAsync(sink.Url, body, headers, cancellationToken));
    }

    /// <summary><c>sha256=</c> and the lowercase hex HMAC-SHA256 of the UTF-8 body under the secret.</summary>
    public static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private async Task<DeliveryOutcome> PostAsync(string url, string body, Dictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            foreach (var (name, value) in headers ?? [])
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await http.CreateClient(ClientName).SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode ? DeliveryOutcome.Ok : DeliveryOutcome.Fail($"{url} answered HTTP {(int)response.StatusCode}");
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return DeliveryOutcome.Fail(ex is OperationCanceledException ? $"{url} timed out after {options.Value.DeliveryTimeout}" : $"{url}: {ex.Message}");
        }
    }

    private DeliveryOutcome Count(string sink, DeliveryOutcome outcome)
    {
        metrics.RecordAlertDelivery(sink, outcome.Delivered ? "delivered" : "failed");
        return outcome;
    }
}
