using System.ComponentModel.DataAnnotations;

namespace Fleet.Server.Health;

/// <summary>
/// <c>Fleet:Probes:*</c>: how each silo probes the model versions it has loaded (golden outputs, artifact
/// checksum, execution provider, latency, liveness) and when its status changes. Defaults are documented in
/// docs/reliability.md; a check sees a verdict within about Interval × FailureThreshold.
/// </summary>
public sealed class ProbeOptions
{
    public const string SectionName = "Fleet:Probes";

    /// <summary>Period of the probe cycle. Default 5 s (Ray Serve: 10 s).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A version's probe run (the golden set, twice) that has not finished by then counts as failed (liveness). Default 5 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Consecutive failed probes before a check turns failing. Default 3 (as Ray Serve).</summary>
    [Range(1, 1000)]
    public int FailureThreshold { get; set; } = 3;

    /// <summary>Consecutive passed probes before a failing check passes again. Default 2.</summary>
    [Range(1, 1000)]
    public int RecoveryThreshold { get; set; } = 2;

    /// <summary>A golden run slower than this factor × the version's baseline (the median of its first probes on this host) is slow. Default 3.</summary>
    [Range(1.0, 1000.0)]
    public double LatencyFactor { get; set; } = 3.0;

    /// <summary>Slowdowns smaller than this are never counted (timer noise on microsecond runs). Default 2 ms.</summary>
    public TimeSpan LatencyFloor { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Golden runs that make up the latency baseline. Default 5.</summary>
    [Range(1, 1000)]
    public int LatencyBaselineProbes { get; set; } = 5;

    /// <summary>
    /// <c>cpu</c> or <c>cuda</c>: a session on another provider makes the host degraded. Empty (default): what
    /// Fleet:Inference:ExecutionProvider asks for (<c>Cuda</c> → cuda, <c>Cpu</c> → cpu, <c>Auto</c> → any).
    /// </summary>
    [RegularExpression("^(|cpu|cuda|CPU|CUDA)$", ErrorMessage = "Fleet:Probes:ExpectedProvider must be cpu, cuda or empty")]
    public string ExpectedProvider { get; set; } = string.Empty;

    /// <summary>
    /// The artifact check hashes the whole file when its size or modification time changed, and at least this
    /// often regardless. Default 10 min.
    /// </summary>
    public TimeSpan ArtifactFullHashInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Probe results each host keeps (its host grain shows them). Default 100.</summary>
    [Range(1, 10_000)]
    public int History { get; set; } = 100;

    /// <summary>Rows of reference data recorded as a version's golden set when no golden file is given. Default 16.</summary>
    [Range(1, 10_000)]
    public int GoldenRows { get; set; } = 16;

    /// <summary>Absolute tolerance of a recorded golden set. Default 0.001 (a golden file states its own).</summary>
    [Range(0.0, double.MaxValue)]
    public double GoldenTolerance { get; set; } = 1e-3;

    /// <summary>Relative tolerance of a recorded golden set (headroom for another provider's float math). Default 0.001.</summary>
    [Range(0.0, double.MaxValue)]
    public double GoldenRelativeTolerance { get; set; } = 1e-3;

    /// <summary>
    /// A version with no golden set (no golden file, no reference rows it could run) gets one from live traffic: the
    /// first request it answered on a host becomes its golden set once this many live requests have succeeded there
    /// (and the prober ran it again with the same answer). Default 20.
    /// </summary>
    [Range(1, 1_000_000)]
    public int LiveGoldenRequests { get; set; } = 20;
}
