using Fleet.Models;
using Fleet.Routing;
using Fleet.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Serving;

/// <summary>
/// Starts serving once the silo is up: seeds the samples, subscribes this silo's <see cref="ModelHost"/>
/// to routing pushes, applies every route, then marks the host ready. After that it re-subscribes and
/// re-reads every route on a period, which heals a lost push or a catalog grain that moved.
/// </summary>
internal sealed partial class RoutingService(
    ModelHost host,
    SampleModelSeeder seeder,
    IGrainFactory grains,
    IOptions<FleetOptions> options,
    TimeProvider time,
    ILogger<RoutingService> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var observer = grains.CreateObjectReference<IRouteObserver>(host);
        var catalog = grains.GetGrain<IModelCatalogGrain>(IModelCatalogGrain.Key);
        var seeded = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!seeded)
                {
                    await seeder.SeedAsync(stoppingToken);
                    seeded = true;
                }

                await catalog.Subscribe(observer);
                var routes = await catalog.GetRoutes();
                await Task.WhenAll(routes.Select(r => host.ApplyAsync(r, stoppingToken)));
                if (!host.IsSynced)
                {
                    host.MarkSynced();
                    LogSynced(routes.Length);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Not ready until this succeeds: /v2/health/ready stays 503 and says why in the log.
                LogSyncFailed(ex);
            }

            try
            {
                await Task.Delay(host.IsSynced ? options.Value.RouteResyncInterval : RetryDelay, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Routing table synced: {Count} models")]
    private partial void LogSynced(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Routing sync failed; retrying")]
    private partial void LogSyncFailed(Exception exception);
}
