using Fleet.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Replicas;

internal sealed class ReplicaOptionsValidator : IValidateOptions<ReplicaOptions>
{
    public ValidateOptionsResult Validate(string? name, ReplicaOptions o) => OptionsRegistration.Result(
        (o.ForwardTimeout > TimeSpan.Zero && o.RequestTimeout > TimeSpan.Zero, "Fleet:Replicas:ForwardTimeout and Fleet:Replicas:RequestTimeout must be positive"),
        (o.SuspectFor >= TimeSpan.Zero, "Fleet:Replicas:SuspectFor must not be negative"));
}
