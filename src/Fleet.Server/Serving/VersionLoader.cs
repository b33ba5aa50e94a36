using Fleet.Abstractions.Models;
using Fleet.Inference;
using Fleet.Inference.Artifacts;
using Fleet.Inference.Onnx;
using Fleet.Server.Telemetry;

namespace Fleet.Server.Serving;

/// <summary>
/// Opens a version for serving: the artifact's checksum verified against the registry's, the session opened and
/// warmed up off the request threads, the outcome counted. Throws <see cref="InferenceException"/> with the reason.
/// </summary>
internal sealed partial class VersionLoader(ArtifactStore store, OnnxSessionFactory sessions, TimeProvider time, FleetMetrics metrics,
    ILogger<VersionLoader> logger)
{
    public async Task<ServedModel> LoadAsync(string model, string version, string sha256, ModelTask task, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        ArtifactCheck check;
        try
        {
            check = await store.VerifyAsync(sha256, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            metrics.RecordLoad(model, version, "failed");
            throw new InferenceException($"artifact {sha256} could not be read: {ex.Message}", ex);
        }

        if (!check.Ok)
        {
            metrics.RecordLoad(model, version, "checksum_mismatch");
            throw new InferenceException(check.Error!);
        }

        ServedModel served;
        try
        {
            served = await Task.Run(() => Open(model, version, sha256, task, check.Path), cancellationToken);
        }
        catch (InferenceException)
        {
            metrics.RecordLoad(model, version, "failed");
            throw;
        }

        metrics.RecordLoad(model, version, "loaded");
        LogLoadTime(model, version, time.GetElapsedTime(started).TotalMilliseconds);
        return served;
    }

    /// <summary>A session of the graph at <paramref name="path"/>, warmed up, with no checksum check (the caller verified it, or a drill swaps weights on purpose).</summary>
    public ServedModel Open(string model, string version, string sha256, ModelTask task, string path)
    {
        var session = sessions.Open(path);
        try
        {
            var warmUpError = session.WarmUp();
            return new ServedModel(model, version, sha256, task, session, warmUpError);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Loaded {Model} version {Version} in {Milliseconds:F1} ms")]
    private partial void LogLoadTime(string model, string version, double milliseconds);
}
