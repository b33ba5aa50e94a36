using System.ComponentModel.DataAnnotations;

namespace Fleet.Server.Monitoring;

/// <summary>
/// <c>Fleet:Monitoring:*</c>: how served predictions are kept for late labels and export, and how many wait
/// to be processed. Memory is bounded by <see cref="MaxRetainedRows"/> (embedded) or Redis TTLs (cluster).
/// </summary>
public sealed class MonitoringOptions
{
    public const string SectionName = "Fleet:Monitoring";

    /// <summary>How long a prediction can still be joined with its label and exported. Default 24 h.</summary>
    public TimeSpan PredictionRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Rows kept at most (embedded store; the oldest go first). Default 100,000 (~50 MB with 30 features).</summary>
    [Range(1, int.MaxValue)]
    public int MaxRetainedRows { get; set; } = 100_000;

    /// <summary>Rows of one request kept for labels (row i is joined as ID#i). Default 64.</summary>
    [Range(1, 100_000)]
    public int MaxRowsPerPrediction { get; set; } = 64;

    /// <summary>Rows per version and silo sent to the monitor grain each second at most (a uniform sample beyond). Default 1,000.</summary>
    [Range(10, 1_000_000)]
    public int MaxMonitorRowsPerFlush { get; set; } = 1000;

    /// <summary>Predictions waiting for the once-a-second drain; when full, new ones are counted as dropped (fleet_monitor_dropped). Default 65,536.</summary>
    [Range(16, 10_000_000)]
    public int CaptureQueue { get; set; } = 65_536;

    /// <summary>How often each silo runs the drift tests' known-answer self-test (<see cref="Fleet.Drift.DriftSelfTest"/>; also at start). Default 1 h.</summary>
    public TimeSpan SelfTestInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary><c>Fleet:Retraining:*</c>: where new retraining requests go besides the API (each model may add a webhook).</summary>
public sealed class RetrainingOptions
{
    public const string SectionName = "Fleet:Retraining";

    /// <summary>URL that receives each new request as JSON (POST). Default none.</summary>
    public string? Webhook { get; set; }

    /// <summary>Command run for each new request (through /bin/sh -c), the request JSON on stdin and FLEET_MODEL / FLEET_RETRAIN_ID set. Default none.</summary>
    public string? Command { get; set; }

    /// <summary>Per delivery. Default 30 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
