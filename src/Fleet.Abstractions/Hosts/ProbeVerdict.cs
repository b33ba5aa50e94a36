namespace Fleet.Abstractions.Hosts;

/// <summary>
/// A loaded version's verdict on one host: unknown until its first probe passes (or while a first failure is
/// below the threshold), passing, or failing after <c>Fleet:Probes:FailureThreshold</c> consecutive failures.
/// </summary>
[GenerateSerializer, Alias("fleet.ProbeVerdict")]
public enum ProbeVerdict
{
    Unknown = 0,
    Passing = 1,
    Failing = 2,
}
