using Fleet.Abstractions.Contracts;
using Fleet.Abstractions.Models;

namespace Fleet.Grains.Registry;

/// <summary>Persisted state of one model. Records inside are immutable; lists are replaced on copy.</summary>
[GenerateSerializer, Alias("fleet.ModelState")]
public sealed class ModelState
{
    [Id(0)] public ModelDefinition? Definition { get; set; }

    [Id(1)] public DateTimeOffset CreatedAt { get; set; }

    [Id(2)] public List<ModelVersionInfo> Versions { get; set; } = [];

    [Id(3)] public string? LiveVersion { get; set; }

    /// <summary>Every version that went live, oldest first; rollback walks it backwards.</summary>
    [Id(4)] public List<string> LiveHistory { get; set; } = [];

    [Id(5)] public List<AuditEntry> Audit { get; set; } = [];

    /// <summary>Grows on every change that affects routing; silos drop pushes older than what they have.</summary>
    [Id(6)] public long Revision { get; set; }

    /// <summary>Null until set: <see cref="ModelConfig.Default"/> applies.</summary>
    [Id(7)] public ModelConfig? Config { get; set; }

    /// <summary>Each version's input and output contract, by version id.</summary>
    [Id(8)] public Dictionary<string, VersionContract> Contracts { get; set; } = [];

    /// <summary>Each version's golden set, by version id (absent for versions added before golden sets existed).</summary>
    [Id(9)] public Dictionary<string, GoldenSet> Goldens { get; set; } = [];

    /// <summary>Set by <c>fleet pin</c>: the coordinator leaves the model alone and lifecycle moves are refused.</summary>
    [Id(10)] public ModelPin? Pin { get; set; }

    /// <summary>The coordinator's placement (null: every host serves the model).</summary>
    [Id(11)] public Fleet.Abstractions.Routing.ReplicaEndpoint[]? Replicas { get; set; }

    /// <summary>Each version's evaluation on its labelled reference rows, by version id (the promotion gate's evidence).</summary>
    [Id(12)] public Dictionary<string, Fleet.Monitoring.Quality.VersionEvaluation> Evaluations { get; set; } = [];

    public ModelState Copy() => new()
    {
        Definition = Definition,
        CreatedAt = CreatedAt,
        Versions = [.. Versions],
        LiveVersion = LiveVersion,
        LiveHistory = [.. LiveHistory],
        Audit = [.. Audit],
        Revision = Revision,
        Config = Config,
        Contracts = new Dictionary<string, VersionContract>(Contracts),
        Goldens = new Dictionary<string, GoldenSet>(Goldens),
        Pin = Pin,
        Replicas = Replicas,
        Evaluations = new Dictionary<string, Fleet.Monitoring.Quality.VersionEvaluation>(Evaluations),
    };
}
