using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;

namespace Fleet.Grains.Monitoring;

/// <summary>Persisted per model: each version's detector history and last verdicts, and the retraining requests.</summary>
[GenerateSerializer, Alias("fleet.MonitorState")]
public sealed class MonitorState
{
    [Id(0)] public Dictionary<string, VersionMonitorState> Versions { get; set; } = [];

    [Id(1)] public List<RetrainRequest> Retrain { get; set; } = [];

    /// <summary>The fleet false-alarm budget's per-look level, as the coordinator last pushed it (null: off or not pushed yet).</summary>
    [Id(2)] public double? BudgetLevel { get; set; }
}

[GenerateSerializer, Alias("fleet.VersionMonitorState")]
public sealed class VersionMonitorState
{
    /// <summary>Newest first, at most <see cref="ModelMonitorGrain.MaxHistory"/>.</summary>
    [Id(0)] public List<DriftRun> History { get; set; } = [];

    /// <summary>The last overall drift and quality verdicts, so a signal goes out on a change, not on every run.</summary>
    [Id(1)] public string? LastDrift { get; set; }

    [Id(2)] public string? LastQuality { get; set; }
}

/// <summary>Persisted per model: the labels joined to predictions, by version (bounded), and how many labels matched nothing.</summary>
[GenerateSerializer, Alias("fleet.LabelState")]
public sealed class LabelState
{
    [Id(0)] public Dictionary<string, List<LabeledPrediction>> Versions { get; set; } = [];

    [Id(1)] public long Unknown { get; set; }
}

/// <summary>Persisted per model: each version's reference profile (written when set, read on activation).</summary>
[GenerateSerializer, Alias("fleet.ReferenceState")]
public sealed class ReferenceState
{
    [Id(0)] public Dictionary<string, ReferenceProfile> Versions { get; set; } = [];
}
