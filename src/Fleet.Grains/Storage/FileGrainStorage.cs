using System.Globalization;
using Orleans.Serialization;
using Orleans.Storage;

namespace Fleet.Grains.Storage;

/// <summary>
/// Grain state as one file per grain under a directory, written with Orleans's binary serializer
/// (version tolerant through [Id]/[Alias]) and replaced atomically (write to temp, then rename).
/// The embedded single-silo default; cluster mode uses Redis instead. The ETag is a write counter kept
/// in the file, so a stale writer is refused instead of silently overwriting.
/// </summary>
public sealed class FileGrainStorage : IGrainStorage
{
    private readonly string _directory;
    private readonly Serializer _serializer;

    public FileGrainStorage(string directory, Serializer serializer)
    {
        _directory = Path.GetFullPath(directory);
        _serializer = serializer;
        Directory.CreateDirectory(_directory);
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathFor(stateName, grainId);
        if (!File.Exists(path))
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        var bytes = await File.ReadAllBytesAsync(path);
        var record = _serializer.Deserialize<StoredRecord>(bytes)
            ?? throw new InvalidOperationException($"grain state file {path} is empty or unreadable");
        grainState.State = _serializer.Deserialize<T>(record.Payload);
        grainState.ETag = record.Version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathFor(stateName, grainId);
        var current = await ReadVersion(path);
        CheckETag(grainState.ETag, current, stateName, grainId);
        var next = (current ?? 0) + 1;
        var bytes = _serializer.SerializeToArray(new StoredRecord(next, _serializer.SerializeToArray(grainState.State)));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
        {
            await file.WriteAsync(bytes);
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        grainState.ETag = next.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathFor(stateName, grainId);
        CheckETag(grainState.ETag, await ReadVersion(path), stateName, grainId);
        File.Delete(path);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    private async Task<long?> ReadVersion(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var record = _serializer.Deserialize<StoredRecord>(await File.ReadAllBytesAsync(path))
            ?? throw new InvalidOperationException($"grain state file {path} is empty or unreadable");
        return record.Version;
    }

    private static void CheckETag(string? expected, long? current, string stateName, GrainId grainId)
    {
        var actual = current?.ToString(CultureInfo.InvariantCulture);
        if (expected != actual)
        {
            throw new InconsistentStateException(
                $"state '{stateName}' of {grainId} was written by someone else (stored version {actual ?? "none"}, expected {expected ?? "none"})",
                actual ?? string.Empty, expected ?? string.Empty);
        }
    }

    private string PathFor(string stateName, GrainId grainId) =>
        Path.Combine(_directory, Uri.EscapeDataString(stateName), Uri.EscapeDataString(grainId.ToString()) + ".bin");
}

[GenerateSerializer, Alias("fleet.StoredRecord")]
internal sealed record StoredRecord([property: Id(0)] long Version, [property: Id(1)] byte[] Payload);
