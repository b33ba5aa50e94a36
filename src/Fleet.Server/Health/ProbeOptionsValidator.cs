using Fleet.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Health;

internal sealed class ProbeOptionsValidator : IValidateOptions<ProbeOptions>
{
    public ValidateOptionsResult Validate(string? name, ProbeOptions o) => OptionsRegistration.Result(
        (o.Interval > TimeSpan.Zero && o.Timeout > TimeSpan.Zero, "Fleet:Probes:Interval and Fleet:Probes:Timeout must be positive"),
        (o.ArtifactFullHashInterval > TimeSpan.Zero, "Fleet:Probes:ArtifactFullHashInterval must be positive"));
}
