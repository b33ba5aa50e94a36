using System.Collections.Concurrent;
using Fleet.Inference.Artifacts;

namespace Fleet.Server.Health;

/// <summary>
/// The artifact check: is the stored file still the one the registry names? Cheap on most probes (size and
/// modification time unchanged since the last full check), a full SHA-256 when either changed or the last full
/// check is older than Fleet:Probes:ArtifactFullHashInterval.
/// </summary>
internal sealed class ArtifactChecker(ArtifactStore store, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Verified> _verified = new(StringComparer.Ordinal);

    public async Task<(bool Passed, string Detail)> CheckAsync(string sha256, TimeSpan fullHashInterval, CancellationToken cancellationToken)
    {
        var path = store.PathFor(sha256);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            _verified.TryRemove(sha256, out _);
            return (false, $"artifact {sha256} is missing from the store ({path})");
        }

        var now = time.GetUtcNow();
        if (_verified.TryGetValue(sha256, out var last) && last.Size == file.Length && last.WrittenAt == file.LastWriteTimeUtc
            && now - last.At < fullHashInterval)
        {
            return (last.Error is null, last.Error ?? $"unchanged since its SHA-256 was verified at {last.At:O} ({last.Size} bytes)");
        }

        var check = await store.VerifyAsync(sha256, cancellationToken);
        _verified[sha256] = new Verified(file.Length, file.LastWriteTimeUtc, now, check.Error);
        return (check.Ok, check.Ok ? $"SHA-256 verified ({file.Length} bytes)" : check.Error!);
    }

    /// <summary>Forgets artifacts no loaded version uses any more.</summary>
    public void Retain(IReadOnlySet<string> sha256s)
    {
        foreach (var key in _verified.Keys.Where(k => !sha256s.Contains(k)))
        {
            _verified.TryRemove(key, out _);
        }
    }

    private sealed record Verified(long Size, DateTime WrittenAt, DateTimeOffset At, string? Error);
}
