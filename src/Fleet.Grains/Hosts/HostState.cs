using Fleet.Abstractions.Hosts;

namespace Fleet.Grains.Hosts;

/// <summary>Persisted state of one host grain.</summary>
[GenerateSerializer, Alias("fleet.HostState")]
public sealed class HostState
{
    /// <summary>The last report, its per-cycle results left out (they are in <see cref="History"/>).</summary>
    [Id(0)] public HostReport? Last { get; set; }

    [Id(1)] public DateTimeOffset StatusSince { get; set; }

    /// <summary>Oldest first, at most the host's <see cref="HostReport.History"/>.</summary>
    [Id(2)] public List<ProbeResult> History { get; set; } = [];

    [Id(3)] public List<HostCommand> Pending { get; set; } = [];

    /// <summary>Outcomes of finished commands, oldest first, at most <see cref="HostGrain.MaxCommands"/>.</summary>
    [Id(4)] public List<CommandResult> Commands { get; set; } = [];
}
