using Fleet.Grains.Coordination;
using Fleet.Inference.Onnx;
using Fleet.Server.Health;
using Fleet.Server.Monitoring;
using Fleet.Server.Replicas;
using Fleet.Server.Serving;
using Microsoft.Extensions.Options;

namespace Fleet.Tests.Unit;

/// <summary>The rules across settings, each in the validator beside its options type: defaults pass, a broken rule names the setting.</summary>
[Trait(Speed.Trait, Speed.Unit)]
public sealed class OptionsValidationTests
{
    [Fact]
    public void Defaults_pass_every_validator()
    {
        Assert.True(new ProbeOptionsValidator().Validate(null, new ProbeOptions()).Succeeded);
        Assert.True(new MonitoringOptionsValidator().Validate(null, new MonitoringOptions()).Succeeded);
        Assert.True(new RetrainingOptionsValidator().Validate(null, new RetrainingOptions()).Succeeded);
        Assert.True(new ReplicaOptionsValidator().Validate(null, new ReplicaOptions()).Succeeded);
        Assert.True(new InferenceOptionsValidator().Validate(null, new InferenceOptions()).Succeeded);
        Assert.True(new CoordinatorOptionsValidator().Validate(null, new CoordinatorOptions()).Succeeded);
        Assert.True(new Fleet.Grains.Alerting.AlertingOptionsValidator().Validate(null, new Fleet.Grains.Alerting.AlertingOptions()).Succeeded);
    }

    [Fact]
    public void A_broken_rule_names_its_setting_and_every_broken_rule_is_listed()
    {
        Assert.Equal(["Fleet:Probes:Interval and Fleet:Probes:Timeout must be positive", "Fleet:Probes:ArtifactFullHashInterval must be positive"],
            Failures(new ProbeOptionsValidator().Validate(null, new ProbeOptions { Timeout = TimeSpan.Zero, ArtifactFullHashInterval = TimeSpan.Zero })));
        Assert.Equal(["Fleet:Retraining:Webhook must be an absolute URL"],
            Failures(new RetrainingOptionsValidator().Validate(null, new RetrainingOptions { Webhook = "hooks/retrain" })));
        Assert.Equal(["Fleet:Monitoring:PredictionRetention must be positive"],
            Failures(new MonitoringOptionsValidator().Validate(null, new MonitoringOptions { PredictionRetention = TimeSpan.Zero })));
        Assert.Equal(["Fleet:Replicas:SuspectFor must not be negative"],
            Failures(new ReplicaOptionsValidator().Validate(null, new ReplicaOptions { SuspectFor = TimeSpan.FromSeconds(-1) })));
        Assert.Equal(["Fleet:Inference:IntraOpThreads must be at least 1"],
            Failures(new InferenceOptionsValidator().Validate(null, new InferenceOptions { IntraOpThreads = 0 })));
        Assert.False(new CoordinatorOptionsValidator().Validate(null, new CoordinatorOptions { ActionWindow = TimeSpan.Zero }).Succeeded);
        Assert.Equal(["Fleet:Alerting: EvaluationInterval, ResendInterval, RetryMaxDelay and DeliveryTimeout must be positive",
                "Fleet:Alerting: AlertmanagerUrl '127.0.0.1:9093' is not an http(s) address", "Fleet:Alerting: Webhooks:1:Url 'ftp://x' is not an http(s) address"],
            Failures(new Fleet.Grains.Alerting.AlertingOptionsValidator().Validate(null, new Fleet.Grains.Alerting.AlertingOptions
            {
                ResendInterval = TimeSpan.Zero,
                AlertmanagerUrl = "127.0.0.1:9093",
                Webhooks = [new() { Url = "http://127.0.0.1:9000/hook" }, new() { Url = "ftp://x" }],
            })));
    }

    private static string[] Failures(ValidateOptionsResult result) => [.. result.Failures ?? []];
}
