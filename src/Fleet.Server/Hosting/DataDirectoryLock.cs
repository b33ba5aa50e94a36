namespace Fleet.Server.Hosting;

/// <summary>
/// Holds <c>{data}/fleet.lock</c> open exclusively in Local mode: two embedded servers writing the same
/// grain files would corrupt each other, so the second one fails at start with a clear message.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _stream;

    private DataDirectoryLock(FileStream stream) => _stream = stream;

    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, "fleet.lock");
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new DataDirectoryLock(stream);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"Fleet:DataDirectory '{dataDirectory}' is in use by another Fleet server in Local mode ({ex.Message}); give each embedded server its own --Fleet:DataDirectory", ex);
        }
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>Resolving it at host start takes the lock before the silo starts.</summary>
    internal sealed class Holder(DataDirectoryLock held) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(held);
            return Task.CompletedTask;
        }
    }
}
