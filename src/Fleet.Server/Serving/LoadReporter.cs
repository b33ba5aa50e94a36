using Fleet.Abstractions.Models;

namespace Fleet.Server.Serving;

/// <summary>
/// Tells the registry how this host's loads went, without waiting: the model grain may sit on a silo that is frozen or
/// just died, and a load (or a failover onto this host) must not wait for it. Reports are chained, so "loading" never
/// lands after "loaded".
/// </summary>
internal sealed partial class LoadReporter(IGrainFactory grains, HostIdentity host, TimeProvider time, ILogger<LoadReporter> logger)
{
    private readonly Lock _lock = new();
    private Task _reports = Task.CompletedTask;

    public void Report(string model, string version, LoadState state, string? provider, string? error)
    {
        lock (_lock)
        {
            _reports = _reports.ContinueWith(_ => ReportAsync(model, version, state, provider, error), CancellationToken.None,
                TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    private async Task ReportAsync(string model, string version, LoadState state, string? provider, string? error)
    {
        try
        {
            await grains.GetGrain<IModelGrain>(model).ReportLoad(new HostLoadReport(host.Name, version, state, provider, error, time.GetUtcNow()));
        }
        catch (Exception ex)
        {
            // The local status (GET /api/v1/status, /v2/health/ready) still shows the outcome; the registry copy is a convenience.
            LogReportFailed(model, version, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report the load state of {Model} version {Version} to the registry")]
    private partial void LogReportFailed(string model, string version, Exception exception);
}
