namespace Fleet.Grains;

/// <summary>Names shared by grains and the silo configuration.</summary>
public static class FleetStorage
{
    /// <summary>The grain storage provider every Fleet grain persists to (local files or Redis).</summary>
    public const string Name = "fleet";
}
