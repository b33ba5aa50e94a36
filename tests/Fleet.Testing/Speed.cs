namespace Fleet.Testing;

/// <summary>
/// The trait every test class carries, <c>[Trait(Speed.Trait, Speed.Unit)]</c>, so the fast set runs alone:
/// <c>dotnet test Fleet.sln --filter Speed=Unit</c>. Unit: pure code, no silo, milliseconds. Grain: an Orleans
/// TestCluster in process. Server: the embedded server in process over HTTP. Cluster: real redis-server and
/// silo processes.
/// </summary>
public static class Speed
{
    public const string Trait = "Speed";
    public const string Unit = "Unit";
    public const string Grain = "Grain";
    public const string Server = "Server";
    public const string Cluster = "Cluster";
}
