namespace Fleet.Server.Hosting;

public enum ClusterMode
{
    /// <summary>One silo, localhost clustering, grain state in files under the data directory.</summary>
    Local,

    /// <summary>Redis membership, grain storage and reminders; any number of silos.</summary>
    Redis,
}
