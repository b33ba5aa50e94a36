namespace Fleet.Inference.Artifacts;

/// <summary>An uploaded file, hashed, not yet under its content address.</summary>
public sealed class IncomingArtifact : IDisposable
{
    private readonly ArtifactStore _store;
    private bool _committed;

    internal IncomingArtifact(ArtifactStore store, string tempPath, string sha256, long size)
    {
        _store = store;
        TempPath = tempPath;
        Sha256 = sha256;
        SizeBytes = size;
    }

    /// <summary>Where the bytes are until commit; readable, e.g. to open the graph and check it.</summary>
    public string TempPath { get; }

    public string Sha256 { get; }

    public long SizeBytes { get; }

    public void Commit()
    {
        _store.Commit(this);
        _committed = true;
    }

    public void Dispose()
    {
        if (!_committed)
        {
            File.Delete(TempPath);
        }
    }
}
