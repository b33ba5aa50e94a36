namespace Fleet.Cli.Http;

/// <summary>A read-only stream wrapper that draws "uploading NN%" on a terminal as it is read.</summary>
internal sealed class ProgressStream(Stream inner, long length, TextWriter progress) : Stream
{
    private long _read;
    private int _lastPercent = -1;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Advance(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Advance(await inner.ReadAsync(buffer, cancellationToken));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Advance(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

    private int Advance(int n)
    {
        _read += n;
        var percent = length <= 0 ? 100 : (int)(_read * 100 / length);
        if (percent != _lastPercent)
        {
            _lastPercent = percent;
            progress.Write($"\ruploading {percent,3}% ({Format.Bytes(_read)} of {Format.Bytes(length)})");
            if (n == 0 || _read >= length)
            {
                progress.WriteLine();
            }

            progress.Flush();
        }

        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
