using System.ComponentModel.DataAnnotations;

namespace Fleet.Grains.Coordination;

/// <summary><c>Fleet:Coordinator:*</c>: the decision policy and its safety limits (defaults in docs/reliability.md).</summary>
public sealed class CoordinatorOptions
{
    public const string SectionName = "Fleet:Coordinator";

    /// <summary>False: signals and host reports are still recorded, but no decision is made. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>After a decision, the same action on the same model (and host) waits this long. Also spaces out repeated <c>skipped</c> records. Default 5 min.</summary>
    public TimeSpan CoolDown { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>At most this many decisions of one action (rollback, reload) in <see cref="ActionWindow"/>, cluster-wide. Default 5.</summary>
    [Range(1, 10_000)]
    public int MaxActionsPerWindow { get; set; } = 5;

    /// <summary>The window of <see cref="MaxActionsPerWindow"/>. Default 1 h.</summary>
    public TimeSpan ActionWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Roll back when this share of the live version's answers broke its output contract or failed at run time (each
    /// one answered by the fallback chain instead), over at least <see cref="ViolationMinSamples"/>. Default 0.05.
    /// </summary>
    [Range(0.0, 1.0)]
    public double ViolationRate { get; set; } = 0.05;

    /// <summary>Answers (served plus broken) the live version needs in <see cref="ViolationWindow"/> before its rate counts. Default 100.</summary>
    [Range(1, long.MaxValue)]
    public long ViolationMinSamples { get; set; } = 100;

    /// <summary>The statistics window the rate is read over (minute granularity). Default 5 min.</summary>
    public TimeSpan ViolationWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often each live version's statistics are read. Default 5 s.</summary>
    public TimeSpan StatsInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A confirmed <c>quality_drop</c> signal (labels) on the live version rolls it back. Default true.</summary>
    public bool RollbackOnQualityDrop { get; set; } = true;

    /// <summary>
    /// How many hosts serve each model (a model's <c>replicas</c> setting overrides it). 0 or less: every host serves
    /// every model (no placement). The server sets 2 in cluster (Redis) mode and 1 embedded unless configured.
    /// </summary>
    [Range(0, MaxReplicationFactor)]
    public int ReplicationFactor { get; set; }

    /// <summary>The largest replication factor, cluster-wide or per model.</summary>
    public const int MaxReplicationFactor = 64;

    /// <summary>Lets <see cref="Fleet.Abstractions.Coordination.ICoordinatorGrain.ArmCrash"/> kill this silo (drills). Set from <c>Fleet:FaultInjection:Enabled</c>. Default false.</summary>
    public bool FaultInjection { get; set; }

    /// <summary>Hosts not heard from for this long leave the host list. Default 1 h.</summary>
    public TimeSpan ForgetHostsAfter { get; set; } = TimeSpan.FromHours(1);
}
