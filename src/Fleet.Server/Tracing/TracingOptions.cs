using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Tracing;

/// <summary><c>Fleet:Tracing:*</c>: how many request traces each silo keeps, and for how long (docs/alerts.md#5-request-traces).</summary>
public sealed class TracingOptions
{
    public const string SectionName = "Fleet:Tracing";

    /// <summary>False: no request is traced. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Traces kept per silo at most (about 300 bytes each); the oldest go first. Default 100,000.</summary>
    [Range(1, 10_000_000)]
    public int Capacity { get; set; } = 100_000;

    /// <summary>A trace is kept at most this long. Default 1 h.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(1);
}

internal sealed class TracingOptionsValidator : IValidateOptions<TracingOptions>
{
    public ValidateOptionsResult Validate(string? name, TracingOptions o) => Hosting.OptionsRegistration.Result(
        (o.Retention > TimeSpan.Zero, "Fleet:Tracing:Retention must be positive"));
}
