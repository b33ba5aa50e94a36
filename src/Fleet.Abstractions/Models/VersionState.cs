namespace Fleet.Abstractions.Models;

/// <summary>Lifecycle of a model version. Canary arrives with the rollout issue; its value is reserved.</summary>
[GenerateSerializer, Alias("fleet.VersionState")]
public enum VersionState
{
    Staged = 0,
    Live = 1,
    Retired = 2,
    Quarantined = 3,
    Canary = 4,
}
