namespace Fleet.Server.Hosting;

/// <summary>
/// A background service that flushes something every <see cref="Interval"/> on the injected clock, and once
/// more on a clean shutdown (statistics to the version grains, monitored predictions to the monitor grains).
/// </summary>
internal abstract class FlushLoop(TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected TimeProvider Time { get; } = time;

    protected abstract Task FlushOnceAsync();

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, Time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            await FlushOnceAsync();
        }

        await FlushOnceAsync();
    }
}
