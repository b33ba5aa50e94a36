namespace Fleet.Server.Hosting;

/// <summary>Calls back each time cluster membership declares another silo dead (a killed or frozen host).</summary>
internal static partial class SiloDeaths
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Runs until <paramref name="stoppingToken"/> fires. When the membership stream fails, the failure is logged and
    /// watching starts again a second later (meanwhile a death is only noticed on the caller's regular period).
    /// </summary>
    public static async Task WatchAsync(IClusterMembershipService membership, Action onDeath, TimeProvider time, ILogger logger, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var last = membership.CurrentSnapshot;
                await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
                {
                    if (snapshot.CreateUpdate(last).Changes.Any(m => m.Status == SiloStatus.Dead))
                    {
                        onDeath();
                    }

                    last = snapshot;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogWatchFailed(logger, ex, RetryDelay.TotalSeconds);
                try
                {
                    await Task.Delay(RetryDelay, time, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching cluster membership for dead silos failed; watching again in {Seconds} s (until then a death is noticed on the regular period)")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, double seconds);
}
