using Fleet.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Monitoring;

internal sealed class MonitoringOptionsValidator : IValidateOptions<MonitoringOptions>
{
    public ValidateOptionsResult Validate(string? name, MonitoringOptions o) => OptionsRegistration.Result(
        (o.PredictionRetention > TimeSpan.Zero, "Fleet:Monitoring:PredictionRetention must be positive"),
        (o.SelfTestInterval > TimeSpan.Zero, "Fleet:Monitoring:SelfTestInterval must be positive"));
}

internal sealed class RetrainingOptionsValidator : IValidateOptions<RetrainingOptions>
{
    public ValidateOptionsResult Validate(string? name, RetrainingOptions o) => OptionsRegistration.Result(
        (string.IsNullOrEmpty(o.Webhook) || Uri.TryCreate(o.Webhook, UriKind.Absolute, out _), "Fleet:Retraining:Webhook must be an absolute URL"),
        (o.Timeout > TimeSpan.Zero, "Fleet:Retraining:Timeout must be positive"));
}
