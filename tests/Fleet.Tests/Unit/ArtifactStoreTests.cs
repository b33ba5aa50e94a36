using System.Security.Cryptography;
using Fleet.Inference.Artifacts;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Unit;

[Trait(Speed.Trait, Speed.Unit)]
public sealed class ArtifactStoreTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Received_content_is_stored_under_its_digest_and_verifies()
    {
        var store = new ArtifactStore(_root.Path);
        var bytes = RandomNumberGenerator.GetBytes(200_000);

        using (var incoming = await store.ReceiveAsync(new MemoryStream(bytes), 1_000_000, CancellationToken.None))
        {
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), incoming.Sha256);
            Assert.Equal(200_000, incoming.SizeBytes);
            Assert.False(store.Contains(incoming.Sha256));
            incoming.Commit();
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(store.PathFor(sha)));
        var check = await store.VerifyAsync(sha, CancellationToken.None);
        Assert.True(check.Ok);
        Assert.Empty(Directory.GetFiles(Path.Combine(_root.Path, "incoming")));
    }

    [Fact]
    public async Task Uncommitted_and_oversized_uploads_leave_nothing_behind()
    {
        var store = new ArtifactStore(_root.Path);
        using (await store.ReceiveAsync(new MemoryStream(new byte[10]), 100, CancellationToken.None))
        {
        }

        var error = await Assert.ThrowsAsync<ArtifactTooLargeException>(() => store.ReceiveAsync(new MemoryStream(new byte[101]), 100, CancellationToken.None));

        Assert.Equal("artifact exceeds the limit of 100 bytes (Fleet:MaxArtifactBytes)", error.Message);
        Assert.Empty(Directory.GetFiles(_root.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Tampered_and_missing_files_fail_verification_with_the_digests()
    {
        var store = new ArtifactStore(_root.Path);
        using var incoming = await store.ReceiveAsync(new MemoryStream([1, 2, 3]), 100, CancellationToken.None);
        var sha = incoming.Sha256;
        incoming.Commit();
        await File.WriteAllBytesAsync(store.PathFor(sha), [1, 2, 4]);

        var tampered = await store.VerifyAsync(sha, CancellationToken.None);
        var missing = await store.VerifyAsync(new string('e', 64), CancellationToken.None);

        Assert.False(tampered.Ok);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(new byte[] { 1, 2, 4 })), tampered.ActualSha256);
        Assert.Equal($"checksum mismatch: artifact file {store.PathFor(sha)} has SHA-256 {tampered.ActualSha256}, the registry expects {sha}; refusing to load it", tampered.Error);
        Assert.False(missing.Ok);
        Assert.StartsWith($"artifact {new string('e', 64)} is missing from the store", missing.Error);
    }

    [Theory]
    [InlineData("../../../../etc/passwd")]
    [InlineData("ABCDEF0000000000000000000000000000000000000000000000000000000000")]
    [InlineData("abc")]
    [InlineData("")]
    public void Paths_derive_only_from_valid_lowercase_digests(string digest)
    {
        var store = new ArtifactStore(_root.Path);

        var error = Assert.Throws<ArgumentException>(() => store.PathFor(digest));

        Assert.StartsWith($"'{digest}' is not a lowercase hex SHA-256 digest", error.Message);
    }
}
