namespace Fleet.Abstractions.Hosts;

/// <summary>
/// One per host (key: the silo name). The host's prober reports to it after every probe cycle; it keeps the
/// status, reasons and the last probe results (persisted), passes the report on to the coordinator, and hands the
/// host the commands the coordinator queued for it.
/// </summary>
[Alias("fleet.IHostGrain")]
public interface IHostGrain : IGrainWithStringKey
{
    /// <summary>Stores the report; returns the commands the host has not yet reported done.</summary>
    [Alias("Report")]
    Task<HostCommand[]> Report(HostReport report);

    /// <summary>Null when this host never reported.</summary>
    [Alias("GetView")]
    Task<HostView?> GetView();

    /// <summary>Queues a command for the host; false when a command with its id was queued or done before (nothing changes).</summary>
    [Alias("Enqueue")]
    Task<bool> Enqueue(HostCommand command);
}
