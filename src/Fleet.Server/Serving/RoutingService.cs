using Fleet.Abstractions.Models;
using Fleet.Abstractions.Routing;
using Fleet.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Serving;

/// <summary>
/// Starts serving once the silo is up: seeds the samples, subscribes this silo's <see cref="ModelHost"/>
/// to routing pushes, applies every route, then marks the host ready. After that it re-subscribes and
/// re-reads every route on a period, which heals a lost push or a catalog grain that moved, and at once when a silo
/// is declared dead and then every second for 20 s (the catalog may have lived there: its new activation knows no
/// subscribers, and the coordinator is about to move that silo's replicas). In that window an attempt that has not
/// finished within 3 s is abandoned and retried.
/// </summary>
internal sealed partial class RoutingService(
    ModelHost host,
    SampleModelSeeder seeder,
    IGrainFactory grains,
    IClusterMembershipService membership,
    IOptions<FleetOptions> options,
    TimeProvider time,
    ILogger<RoutingService> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SettleFor = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan SettlingAttemptTimeout = TimeSpan.FromSeconds(3);
    private long _settleUntilTicks; // UTC ticks; written by the membership watch, read by the loop

    private readonly WakeUp _kick = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Resync now and every second for a while after a death: the coordinator moves replicas within seconds, and
        // its push may reach a catalog activation this silo has not re-subscribed to yet.
        _ = SiloDeaths.WatchAsync(membership, () =>
        {
            Interlocked.Exchange(ref _settleUntilTicks, (time.GetUtcNow() + SettleFor).UtcTicks);
            _kick.Set();
        }, time, logger, stoppingToken);
        var observer = grains.CreateObjectReference<IRouteObserver>(host);
        var catalog = grains.GetGrain<IModelCatalogGrain>(IModelCatalogGrain.Key);
        var seeded = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            Task? sync = null;
            try
            {
                if (!seeded)
                {
                    await seeder.SeedAsync(stoppingToken);
                    seeded = true;
                }

                sync = SyncAsync(catalog, observer, stoppingToken);
                // Right after a death, a call can still go to the dead silo's activation (Orleans's directory cache
                // learns of the death after this watch does) and wait the whole response timeout: give up on it and
                // ask again, so this silo's routes do not lag the coordinator's new placement.
                await (Settling ? sync.WaitAsync(SettlingAttemptTimeout, time, stoppingToken) : sync);
            }
            catch (TimeoutException) when (sync is { IsCompleted: false } && !stoppingToken.IsCancellationRequested)
            {
                LogSettlingSyncSlow(SettlingAttemptTimeout.TotalSeconds);
                _ = sync.ContinueWith(t => LogAbandonedSyncFailed(t.Exception!), CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Not ready until this succeeds: /v2/health/ready stays 503 and says why, as does the log.
                host.RecordSyncFailure(ex.Message);
                LogSyncFailed(ex);
            }

            await _kick.WaitAsync(host.IsSynced && !Settling ? options.Value.RouteResyncInterval : RetryDelay, time, stoppingToken);
        }
    }

    private bool Settling => time.GetUtcNow().UtcTicks < Interlocked.Read(ref _settleUntilTicks);

    private async Task SyncAsync(IModelCatalogGrain catalog, IRouteObserver observer, CancellationToken stoppingToken)
    {
        await catalog.Subscribe(observer);
        var routes = await catalog.GetRoutes();
        await Task.WhenAll(routes.Select(r => host.ApplyAsync(r, stoppingToken)));
        if (!host.IsSynced)
        {
            host.MarkSynced();
            LogSynced(routes.Length);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing sync after a silo death did not finish within {Seconds} s (a call may be waiting on the dead silo); asking again")]
    private partial void LogSettlingSyncSlow(double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An abandoned routing sync failed later (a newer one has run since)")]
    private partial void LogAbandonedSyncFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Routing table synced: {Count} models")]
    private partial void LogSynced(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Routing sync failed; retrying")]
    private partial void LogSyncFailed(Exception exception);
}
