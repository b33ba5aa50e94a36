using System.Runtime.CompilerServices;
using Fleet.Abstractions.Hosts;
using Fleet.Inference;
using Fleet.Inference.Onnx;
using Fleet.Inference.Tensors;
using Fleet.Abstractions.Models;
using Fleet.Server.Api;
using Fleet.Server.Hosting;
using Fleet.Server.Serving;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Health;

/// <summary>
/// This silo's prober, off the request path. Every Fleet:Probes:Interval (and at once when a version is loaded or
/// swapped) it probes every version loaded here: provider, artifact checksum, and the golden set run twice on its
/// own thread within Fleet:Probes:Timeout (liveness, golden outputs, nondeterminism, latency against the version's
/// baseline). Each version's <see cref="VersionHealth"/> feeds readiness; the host's status, its loaded versions and
/// the results go to its host grain, which hands back commands from the coordinator (reload) to run here.
/// </summary>
internal sealed partial class HostProber(
    ModelHost host,
    ArtifactChecker artifacts,
    OnnxSessionFactory sessions,
    IGrainFactory grains,
    HostIdentity identity,
    IServer server,
    IClusterMembershipService membership,
    IOptions<FleetClusterOptions> cluster,
    IOptions<ProbeOptions> options,
    IOptions<InferenceOptions> inference,
    TimeProvider time,
    ILogger<HostProber> logger) : BackgroundService
{
    private const int MaxRemembered = 1000;

    private readonly WakeUp _kick = new();
    private readonly GoldenProbes _goldens = new(grains, identity, time, logger);
    private readonly Dictionary<(string Model, string Version, string Sha256), List<double>> _firstRuns = [];
    private readonly ConditionalWeakTable<ServedModel, HungRun> _hung = new();
    private readonly List<CommandResult> _commandResults = [];
    private readonly Queue<string> _executed = new();
    private HostReport? _last;
    private string? _url;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        host.Changed += Kick;
        // A silo declared dead: report at once, so the coordinator moves its replicas now rather than a probe interval later.
        _ = SiloDeaths.WatchAsync(membership, Kick, time, logger, stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await WaitAsync(stoppingToken);
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                try
                {
                    await CycleAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogCycleFailed(ex);
                }
            }
        }
        finally
        {
            host.Changed -= Kick;
        }
    }

    private void Kick() => _kick.Set();

    /// <summary>One interval, or less when a version was loaded meanwhile.</summary>
    private Task WaitAsync(CancellationToken stoppingToken) => _kick.WaitAsync(options.Value.Interval, time, stoppingToken);

    /// <summary>Probes everything loaded, reports to the host grain and runs the commands it hands back.</summary>
    public async Task CycleAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var loaded = host.AcquireLoaded();
        var results = new List<ProbeResult>();
        var statuses = new List<VersionStatus>();
        var versions = new List<LoadedVersion>();
        try
        {
            foreach (var (served, role) in loaded)
            {
                var (probe, latency, baseline) = await ProbeAsync(served, o, cancellationToken);
                served.Health = served.Health.Apply(probe, o.FailureThreshold, o.RecoveryThreshold, latency, baseline, time.GetUtcNow());
                results.AddRange(probe);
                statuses.Add(new VersionStatus(served.Model, served.Version, role, served.Health));
                var health = served.Health;
                versions.Add(new LoadedVersion(served.Model, served.Version, role, served.Sha256, served.Session.Provider.Name, health.Verdict,
                    health.Failing, health.Detail, health.ConsecutiveFailures, health.LatencyMs, health.BaselineMs, health.LastProbe, served.GoldenState));
            }

            Forget(loaded);
        }
        finally
        {
            foreach (var (served, _) in loaded)
            {
                served.Release();
            }
        }

        var failedSlots = host.FailedLoads();
        var failedLoads = failedSlots.Select(s => ModelStatus.Describe(s.Route.Model, s)).ToArray();
        var (status, reasons) = HostHealth.Evaluate(statuses, failedLoads);
        var report = new HostReport(identity.Name, identity.Address, identity.StartedAt, time.GetUtcNow(), status, reasons,
            sessions.PreferredProvider, sessions.CudaUnavailableReason, Memory(), [.. versions], [.. results], [.. _commandResults],
            o.Interval, o.Timeout, o.FailureThreshold, o.History,
            [.. failedSlots.Select(s => new FailedLoad(s.Route.Model, s.Route.LiveVersion!, s.Status?.Error))],
            _url ??= AdvertisedUrl.Resolve(server, cluster.Value));
        if (_last is { } previous && previous.Status != status)
        {
            LogStatusChanged(previous.Status, status, string.Join("; ", reasons));
        }

        _last = report;
        HostCommand[] commands;
        try
        {
            commands = await grains.GetGrain<IHostGrain>(identity.Name).Report(report);
        }
        catch (Exception ex)
        {
            // Local readiness already reflects this cycle; the command results are sent with the next report.
            LogReportFailed(ex);
            return;
        }

        _commandResults.Clear();
        foreach (var command in commands)
        {
            if (!_executed.Contains(command.Id))
            {
                _commandResults.Add(await ExecuteAsync(command, cancellationToken));
                _executed.Enqueue(command.Id);
                while (_executed.Count > MaxRemembered)
                {
                    _executed.Dequeue();
                }
            }
        }
    }

    private async Task<(List<ProbeResult> Results, double? Latency, double? Baseline)> ProbeAsync(ServedModel served, ProbeOptions o, CancellationToken cancellationToken)
    {
        var results = new List<ProbeResult>();
        void Add(string check, bool passed, string detail, double? ms = null) =>
            results.Add(new ProbeResult(time.GetUtcNow(), served.Model, served.Version, check, passed, detail, ms));

        var provider = served.Session.Provider.Name;
        var expected = ExpectedProvider(o);
        Add(ProbeChecks.Provider, expected is null || string.Equals(expected, provider, StringComparison.OrdinalIgnoreCase),
            expected is null ? $"{provider} (any provider accepted)"
            : string.Equals(expected, provider, StringComparison.OrdinalIgnoreCase) ? $"{provider} as expected"
            : $"runs on {provider}, expected {expected}" + (served.Session.Provider.FallbackReason is { } why ? $" ({why})" : string.Empty));

        try
        {
            var (ok, detail) = await artifacts.CheckAsync(served.Sha256, o.ArtifactFullHashInterval, cancellationToken);
            Add(ProbeChecks.Artifact, ok, detail);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Add(ProbeChecks.Artifact, false, $"artifact {served.Sha256} could not be read: {ex.Message}");
        }

        var golden = await _goldens.ForAsync(served);
        served.Golden = golden.Set is null ? null : golden;
        if (golden.Set is null)
        {
            // No golden set yet: liveness on the first live request this version answered here, once there is one.
            golden = GoldenProbes.LiveCandidate(served, o, out var pending);
            served.GoldenState = pending;
        }
        else
        {
            served.GoldenState = $"{golden.Set.Source} ({golden.Set.Rows} rows, tolerance {golden.Set.Tolerance:0.######} + {golden.Set.RelativeTolerance:0.######} relative)";
        }

        if (golden.Inputs is not { } inputs)
        {
            return (results, null, null);
        }

        if (_hung.TryGetValue(served, out var hung))
        {
            if (!hung.Run.IsCompleted)
            {
                Add(ProbeChecks.Liveness, false, $"the golden run started {(time.GetUtcNow() - hung.Since).TotalSeconds:0.#} s ago has not returned (session hung?)");
                return (results, null, null);
            }

            _hung.Remove(served);
        }

        if (!served.TryAcquire())
        {
            return (results, null, null); // swapped out and being disposed meanwhile: nothing left to probe
        }

        var since = time.GetUtcNow();
        var (run, task) = await ProbeRun.StartAsync(() => ProbeRun.Twice(() => served.Session.Run(inputs, golden.Outputs), time), o.Timeout, time, cancellationToken);
        _ = task.ContinueWith(_ => served.Release(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        if (run is null)
        {
            _hung.AddOrUpdate(served, new HungRun(task, since));
            Add(ProbeChecks.Liveness, false, $"the golden run did not return within {o.Timeout.TotalSeconds:0.###} s (Fleet:Probes:Timeout)");
            return (results, null, null);
        }

        Add(ProbeChecks.Liveness, true, $"the golden run returned in {run.FirstMilliseconds:0.###} ms", run.FirstMilliseconds);
        if (run.Error is { } error)
        {
            Add(ProbeChecks.Golden, false, golden.Set is null
                ? $"the live request kept for its golden set (answered before) fails now on {provider}: {error}"
                : $"the golden run failed on {provider}: {error}");
            return (results, null, null);
        }

        if (golden.Set is null)
        {
            await _goldens.RecordLiveAsync(served, golden, run, o);
            return (results, null, null);
        }

        if (golden.Set is { } set)
        {
            var mismatch = GoldenComparison.Compare(set.Expected, run.First!, set.Tolerance, set.RelativeTolerance);
            var unstable = mismatch is null
                ? GoldenComparison.Compare(run.First!.Select(GoldenTensors.From).ToArray(), run.Second!, set.Tolerance, set.RelativeTolerance)
                : null;
            // Outputs that match a wrong model's own recording still disagree with the labels of the rows they came from.
            var (agrees, agreement) = mismatch is null && unstable is null && set.Labels is { } labels
                ? GoldenLabelCheck.Judge(labels, run.First!)
                : (true, null);
            Add(ProbeChecks.Golden, mismatch is null && unstable is null && agrees,
                mismatch is not null ? $"golden outputs differ ({set.Source}): {mismatch}"
                : unstable is not null ? $"nondeterministic: two runs of the golden inputs differ: {unstable}"
                : !agrees ? $"{set.Rows} golden rows match their recorded outputs ({set.Source}) but {agreement}"
                : $"{set.Rows} golden rows match ({set.Source}){(agreement is null ? string.Empty : "; " + agreement)}");
        }

        var (latency, baseline) = Latency(served, run.FirstMilliseconds, o);
        if (baseline is { } b && latency is { } l)
        {
            var (passed, detail) = LatencyJudge.Check(l, b, o.LatencyFactor, o.LatencyFloor.TotalMilliseconds);
            Add(ProbeChecks.Latency, passed, detail, l);
        }

        return (results, latency, baseline);
    }

    /// <summary>This run's time, and the baseline once the version has made its first Fleet:Probes:LatencyBaselineProbes runs here.</summary>
    private (double? Latency, double? Baseline) Latency(ServedModel served, double milliseconds, ProbeOptions o)
    {
        var key = (served.Model, served.Version, served.Sha256);
        if (!_firstRuns.TryGetValue(key, out var first))
        {
            _firstRuns[key] = first = [];
        }

        if (first.Count < o.LatencyBaselineProbes)
        {
            first.Add(milliseconds);
            return (milliseconds, first.Count == o.LatencyBaselineProbes ? LatencyJudge.Baseline(first) : null);
        }

        return (milliseconds, LatencyJudge.Baseline(first));
    }

    private async Task<CommandResult> ExecuteAsync(HostCommand command, CancellationToken cancellationToken)
    {
        if (command.Kind != "reload")
        {
            return new CommandResult(command.Id, false, $"unknown command '{command.Kind}'", time.GetUtcNow());
        }

        try
        {
            var detail = await host.ReloadAsync(command.Model, command.Version, cancellationToken);
            LogCommand(command.Id, command.Kind, detail);
            return new CommandResult(command.Id, true, detail, time.GetUtcNow());
        }
        catch (Exception ex) when (ex is InferenceException or ModelUnavailableException)
        {
            LogCommand(command.Id, command.Kind, ex.Message);
            return new CommandResult(command.Id, false, $"reload of {command.Model} version {command.Version} failed: {ex.Message}", time.GetUtcNow());
        }
    }

    private string? ExpectedProvider(ProbeOptions o) => o.ExpectedProvider.Length > 0
        ? o.ExpectedProvider.ToUpperInvariant()
        : inference.Value.ExecutionProvider switch
        {
            ExecutionProviderPreference.Cuda => ExecutionProvider.Cuda,
            ExecutionProviderPreference.Cpu => ExecutionProvider.Cpu,
            _ => null,
        };

    /// <summary>Drops cached golden sets and baselines of versions no longer loaded here.</summary>
    private void Forget(IReadOnlyList<(ServedModel Served, VersionRole Role)> loaded)
    {
        var keys = loaded.Select(l => (l.Served.Model, l.Served.Version, l.Served.Sha256)).ToHashSet();
        _goldens.Retain(keys);

        foreach (var key in _firstRuns.Keys.Where(k => !keys.Contains(k)).ToArray())
        {
            _firstRuns.Remove(key);
        }

        artifacts.Retain(loaded.Select(l => l.Served.Sha256).ToHashSet(StringComparer.Ordinal));
    }

    private static HostMemory Memory() => new(Environment.WorkingSet, GC.GetTotalMemory(forceFullCollection: false), GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

    private sealed record HungRun(Task Run, DateTimeOffset Since);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Host status {From} -> {To}: {Reasons}")]
    private partial void LogStatusChanged(HostStatus from, HostStatus to, string reasons);

    [LoggerMessage(Level = LogLevel.Error, Message = "Probe cycle failed; the next one runs at the next interval")]
    private partial void LogCycleFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report to this host's grain; the next cycle reports again")]
    private partial void LogReportFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {Id} ({Kind}): {Detail}")]
    private partial void LogCommand(string id, string kind, string detail);
}
