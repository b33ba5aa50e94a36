namespace Fleet.Server.Health;

/// <summary>
/// The checks of a probe. Hard checks (a failing one means the version does not answer right here): <see cref="Liveness"/>
/// (the golden run returned within Fleet:Probes:Timeout), <see cref="Golden"/> (its outputs match the golden set, and two runs
/// agree), <see cref="Artifact"/> (the file still has the registry's SHA-256). Soft checks (degraded): <see cref="Latency"/>,
/// <see cref="Provider"/>.
/// </summary>
internal static class ProbeChecks
{
    public const string Liveness = "liveness";
    public const string Golden = "golden";
    public const string Artifact = "artifact";
    public const string Latency = "latency";
    public const string Provider = "provider";

    public static readonly string[] Hard = [Liveness, Golden, Artifact];

    public static bool IsHard(string check) => Array.IndexOf(Hard, check) >= 0;
}
