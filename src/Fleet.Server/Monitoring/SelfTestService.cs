using Fleet.Abstractions.Coordination;
using Fleet.Drift;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Monitoring;

/// <summary>
/// On every silo, at start and every <see cref="MonitoringOptions.SelfTestInterval"/>: the drift tests' known-answer
/// self-test (<see cref="DriftSelfTest"/>). A failure raises <c>monitor_unhealthy</c> (critical, component
/// <see cref="Component"/>, this silo) through the coordinator, a pass after it <c>monitor_recovered</c>; each result is logged.
/// </summary>
internal sealed partial class SelfTestService(
    IGrainFactory grains,
    ILocalSiloDetails silo,
    IOptions<MonitoringOptions> options,
    TimeProvider time,
    ILogger<SelfTestService> logger) : BackgroundService
{
    public const string Component = "drift-self-test";

    private bool? _passed;

    /// <summary>The signal a result calls for, given the last one (null: the first run, which raises only on a failure).</summary>
    public static FleetSignal? Transition(bool? before, bool passed, string detail, string host, DateTimeOffset now) => (before, passed) switch
    {
        (not false, false) => new FleetSignal(SignalKind.MonitorUnhealthy, FleetSignal.FleetModel, null, now,
            $"the drift self-test failed on {host}: {detail}", new Dictionary<string, double> { ["passed"] = 0 }, host, Subject: Component),
        (false, true) => new FleetSignal(SignalKind.MonitorRecovered, FleetSignal.FleetModel, null, now,
            $"the drift self-test passes again on {host}", new Dictionary<string, double> { ["passed"] = 1 }, host, Subject: Component),
        _ => null,
    };

    /// <summary>Runs the self-test once and signals a change; returns whether it passed.</summary>
    public async Task<bool> RunOnceAsync()
    {
        var (passed, detail) = DriftSelfTest.Run();
        if (passed)
        {
            LogPassed(detail);
        }
        else
        {
            LogFailed(detail);
        }

        if (Transition(_passed, passed, detail, silo.Name, time.GetUtcNow()) is { } signal)
        {
            try
            {
                await grains.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).Signal(signal);
            }
            catch (Exception ex)
            {
                // The failure is logged above either way; the next run signals it again.
                LogSignalFailed(ex);
                return passed;
            }
        }

        _passed = passed;
        return passed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SelfTestInterval, time);
        do
        {
            try
            {
                await RunOnceAsync();
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSignalFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Self-test passed: {Detail}")]
    private partial void LogPassed(string detail);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Self-test FAILED: {Detail}")]
    private partial void LogFailed(string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "The self-test's result could not be given to the coordinator; the next run tries again")]
    private partial void LogSignalFailed(Exception exception);
}
