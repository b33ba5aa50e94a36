using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Fleet.Grains.Alerting;

/// <summary><c>Fleet:Alerting:*</c>: where alerts go and how often they are evaluated and re-sent (defaults in docs/alerts.md).</summary>
public sealed class AlertingOptions
{
    public const string SectionName = "Fleet:Alerting";

    /// <summary>Alertmanager's base address (e.g. <c>http://127.0.0.1:9093</c>); alerts are posted to its <c>/api/v2/alerts</c>. Default none.</summary>
    public string? AlertmanagerUrl { get; set; }

    /// <summary>Webhook receivers (<c>Fleet:Alerting:Webhooks:N:Url</c> and <c>:Secret</c>, the HMAC-SHA256 key). Default none.</summary>
    public List<WebhookSink> Webhooks { get; set; } = [];

    /// <summary>How often every silo asks the alerting grain to re-evaluate (pending alerts firing, held ones resolving, retries). Default 5 s.</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Firing alerts are posted to Alertmanager again this often (below its resolve_timeout, 5 min). Default 1 min.</summary>
    public TimeSpan ResendInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A failed webhook delivery is retried after 1 s, 2 s, 4 s, ... up to this. Default 30 s.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>One attempt to reach a sink gives up after this. Default 5 s.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Resolved alerts stay listed this long. Default 15 min.</summary>
    public TimeSpan ResolvedRetention { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Undelivered webhook notifications kept (persisted); beyond it the oldest are dropped and counted. Default 1000.</summary>
    [Range(1, 1_000_000)]
    public int MaxOutbox { get; set; } = 1000;

    /// <summary>Incidents kept, oldest dropped first once resolved. Default 500.</summary>
    [Range(1, 100_000)]
    public int MaxIncidents { get; set; } = 500;

    /// <summary>Timeline lines kept per incident. Default 500.</summary>
    [Range(10, 100_000)]
    public int MaxTimeline { get; set; } = 500;

    /// <summary>Recent signals kept to find an incident's first evidence. Default 500.</summary>
    [Range(1, 100_000)]
    public int MaxRecentSignals { get; set; } = 500;

    /// <summary>
    /// False alarms per day the whole fleet may raise when nothing is wrong (<see cref="AlarmBudgets"/>): the detectors'
    /// levels are tightened so the expected count stays under it. 0 turns it off (every detector as configured). Default 1.
    /// </summary>
    [Range(0.0, 1_000_000.0)]
    public double FalseAlarmBudget { get; set; } = 1;

    /// <summary>The rules over each live version's serving statistics (<c>Fleet:Alerting:Serving:*</c>).</summary>
    public ServingRuleOptions Serving { get; set; } = new();

    /// <summary>The address alerts link back to (<c>generatorURL</c>); default none (the server fills its own URL).</summary>
    public string? ExternalUrl { get; set; }
}

public sealed class WebhookSink
{
    [Required]
    public string Url { get; set; } = "";

    /// <summary>The HMAC-SHA256 key of the <c>X-Fleet-Signature</c> header; empty: unsigned.</summary>
    public string? Secret { get; set; }
}

/// <summary>The rules across <see cref="AlertingOptions"/> settings (its attributes hold the ranges).</summary>
public sealed class AlertingOptionsValidator : IValidateOptions<AlertingOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertingOptions o)
    {
        var errors = new List<string>();
        if (o.EvaluationInterval <= TimeSpan.Zero || o.ResendInterval <= TimeSpan.Zero || o.RetryMaxDelay <= TimeSpan.Zero || o.DeliveryTimeout <= TimeSpan.Zero)
        {
            errors.Add("EvaluationInterval, ResendInterval, RetryMaxDelay and DeliveryTimeout must be positive");
        }

        if (o.Serving.Window < TimeSpan.FromMinutes(1) || o.Serving.Interval <= TimeSpan.Zero)
        {
            errors.Add("Serving:Window must be at least 1 min (the statistics' granularity) and Serving:Interval positive");
        }

        var serving = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!Validator.TryValidateObject(o.Serving, new ValidationContext(o.Serving), serving, validateAllProperties: true))
        {
            errors.AddRange(serving.Select(r => "Serving:" + r.ErrorMessage));
        }

        if (o.AlertmanagerUrl is { Length: > 0 } am && !IsHttp(am))
        {
            errors.Add($"AlertmanagerUrl '{am}' is not an http(s) address");
        }

        for (var i = 0; i < o.Webhooks.Count; i++)
        {
            if (!IsHttp(o.Webhooks[i].Url))
            {
                errors.Add($"Webhooks:{i}:Url '{o.Webhooks[i].Url}' is not an http(s) address");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => $"{AlertingOptions.SectionName}: {e}"));
    }

    private static bool IsHttp(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
