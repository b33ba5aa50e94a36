using System.Security.Cryptography;

namespace Fleet.Inference.Artifacts;

/// <summary>
/// Content-addressed model files under <c>{root}/sha256/{aa}/{hash}.onnx</c>. Paths derive only from a
/// validated hex digest, so no caller-supplied name ever reaches the file system (no path traversal).
/// In cluster mode the root is a volume every silo shares.
/// </summary>
public sealed class ArtifactStore
{
    private readonly string _root;

    public ArtifactStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(Path.Combine(_root, "sha256"));
        Directory.CreateDirectory(Path.Combine(_root, "incoming"));
    }

    public string Root => _root;

    public static bool IsValidDigest(string? sha256) =>
        sha256 is { Length: 64 } && sha256.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    public string PathFor(string sha256)
    {
        if (!IsValidDigest(sha256))
        {
            throw new ArgumentException($"'{sha256}' is not a lowercase hex SHA-256 digest", nameof(sha256));
        }

        return Path.Combine(_root, "sha256", sha256[..2], sha256 + ".onnx");
    }

    public bool Contains(string sha256) => File.Exists(PathFor(sha256));

    /// <summary>
    /// Streams <paramref name="content"/> to a temporary file while hashing it. Nothing is visible under the
    /// content address until <see cref="IncomingArtifact.Commit"/>; disposing an uncommitted one deletes it.
    /// </summary>
    public async Task<IncomingArtifact> ReceiveAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(_root, "incoming", Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        throw new ArtifactTooLargeException(maxBytes);
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await file.FlushAsync(cancellationToken);
            }

            return new IncomingArtifact(this, temp, Convert.ToHexStringLower(hash.GetHashAndReset()), size);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Hashes the stored file and compares it with the registered digest.</summary>
    public async Task<ArtifactCheck> VerifyAsync(string sha256, CancellationToken cancellationToken)
    {
        var path = PathFor(sha256);
        if (!File.Exists(path))
        {
            return new ArtifactCheck(path, false, null, $"artifact {sha256} is missing from the store ({path})");
        }

        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        return actual == sha256
            ? new ArtifactCheck(path, true, actual, null)
            : new ArtifactCheck(path, false, actual, $"checksum mismatch: artifact file {path} has SHA-256 {actual}, the registry expects {sha256}; refusing to load it");
    }

    internal void Commit(IncomingArtifact artifact)
    {
        var target = PathFor(artifact.Sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
        {
            // Same content already stored (same digest): keep the existing file.
            File.Delete(artifact.TempPath);
            return;
        }

        try
        {
            File.Move(artifact.TempPath, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another upload of the same bytes (or another silo seeding the same sample) got there first.
            File.Delete(artifact.TempPath);
        }
    }
}
