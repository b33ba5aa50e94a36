using Fleet.Abstractions.Alerting;
using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Monitoring;
using Fleet.Abstractions.Routing;
using Fleet.Abstractions.Statistics;
using Fleet.Grains.Alerting;
using Fleet.Statistics;
using Microsoft.Extensions.Logging;

namespace Fleet.Grains.Coordination;

/// <summary>
/// The coordinator's watch over what no single detector sees: hosts that died or froze (<see cref="HostSignals"/>) and
/// each live version's serving statistics (<see cref="ServingRules"/>, every <see cref="ServingRuleOptions.Interval"/>).
/// Both only signal; decisions stay with <see cref="DecisionPolicy"/>.
/// </summary>
internal sealed partial class CoordinatorGrain
{
    private static readonly TimeSpan BaselineWindow = TimeSpan.FromHours(24);
    private static readonly TimeSpan BaselineReread = TimeSpan.FromMinutes(5);

    private readonly Dictionary<(string Model, string Version), (DateTimeOffset At, StatsSnapshot Snapshot)> _baselines = [];
    private DateTimeOffset _servingReadAt = DateTimeOffset.MinValue;
    private static readonly TimeSpan LevelRepush = TimeSpan.FromMinutes(10);

    private BudgetPlan? _budget;
    private readonly Dictionary<string, (double? Level, DateTimeOffset At)> _pushedLevels = new(StringComparer.Ordinal);

    private ServingRuleOptions Serving => alerting.Value.Serving;

    private async Task WatchHostsAsync(DateTimeOffset now)
    {
        var signals = HostSignals.Transitions(state.State.UnhealthyHosts, state.State.Hosts.Keys, _view.Reports, Members(), now);
        await RecordWatchedAsync(signals);
    }

    private async Task WatchServingAsync(DateTimeOffset now)
    {
        if (!Serving.Enabled || now - _servingReadAt < Serving.Interval)
        {
            return;
        }

        _servingReadAt = now;
        ModelRoute[] routes;
        try
        {
            routes = await GrainFactory.GetGrain<IModelCatalogGrain>(IModelCatalogGrain.Key).GetRoutes();
        }
        catch (Exception ex)
        {
            LogServingFailed("the model catalog", ex);
            return;
        }

        var live = routes.Where(r => r.LiveVersion is not null).ToDictionary(r => r.Model, r => r.LiveVersion!, StringComparer.Ordinal);
        var signals = ServingWatch.Retire(state.State.ServingAlarms, live, now);
        var read = new List<(ModelRoute Route, StatsSnapshot Snapshot)>();
        foreach (var route in routes.Where(r => r.LiveVersion is not null).OrderBy(r => r.Model, StringComparer.Ordinal))
        {
            try
            {
                read.Add((route, await GrainFactory.GetGrain<IVersionStatsGrain>(IVersionStatsGrain.KeyOf(route.Model, route.LiveVersion!)).Query(Serving.Window)));
            }
            catch (Exception ex)
            {
                // A statistics grain is unreachable (a silo just died): the next read judges this model again.
                LogServingFailed($"model {route.Model}", ex);
            }
        }

        _budget = PlanBudget(read, now);
        PushLevels(read.Select(r => r.Route.Model), _budget.PerLook, now);
        foreach (var (route, snapshot) in read)
        {
            try
            {
                var baseline = route.FallbackVersion is { } previous ? await BaselineAsync(route.Model, previous, now) : null;
                var findings = ServingRules.Evaluate(route.LiveVersion!, snapshot, route.FallbackVersion, baseline, Serving, route.Config.Alerting, _budget.ServingZ);
                var step = ServingWatch.Step(state.State.ServingAlarms, route.Model, route.LiveVersion!, findings, now);
                signals.AddRange(await WithRequestsAsync(route.Model, route.LiveVersion!, step));
            }
            catch (Exception ex)
            {
                LogServingFailed($"model {route.Model}", ex);
            }
        }

        foreach (var key in _baselines.Keys.Where(k => !live.ContainsKey(k.Model)).ToArray())
        {
            _baselines.Remove(key);
        }

        await RecordWatchedAsync(signals);
    }

    /// <summary>
    /// Gives each model's monitor the budget's per-look level when it changed (the plan rounds it down to a grid, so
    /// small swings in traffic do not push) and again every 10 min, one-way: a monitor that missed it gets it then.
    /// </summary>
    private void PushLevels(IEnumerable<string> models, double? level, DateTimeOffset now)
    {
        foreach (var model in models)
        {
            if (_pushedLevels.TryGetValue(model, out var pushed) && pushed.Level == level && now - pushed.At < LevelRepush)
            {
                continue;
            }

            _ = GrainFactory.GetGrain<IModelMonitorGrain>(model).SetAlarmLevel(level);
            _pushedLevels[model] = (level, now);
        }

        foreach (var gone in _pushedLevels.Keys.Except(models, StringComparer.Ordinal).ToArray())
        {
            _pushedLevels.Remove(gone);
        }
    }

    public Task<BudgetReport> GetAlarmBudget() => Task.FromResult((_budget ?? PlanBudget([], time.GetUtcNow())).Report);

    /// <summary>The false-alarm budget over the live versions just read (rows per day from their window's rows).</summary>
    private BudgetPlan PlanBudget(IReadOnlyList<(ModelRoute Route, StatsSnapshot Snapshot)> read, DateTimeOffset now)
    {
        var perDay = TimeSpan.FromDays(1) / Serving.Window;
        var models = read.Select(r => new ModelLooks(r.Route.Model, r.Route.Config.MonitoringOrDefault, r.Snapshot.Rows * perDay)).ToArray();
        return AlarmBudgets.Plan(alerting.Value.FalseAlarmBudget, models, Serving, state.State.Signals.Where(s => now - s.At <= TimeSpan.FromDays(1)), now);
    }

    /// <summary>The raised rate signals with the request ids the silos sampled; without them (logged) when the samples cannot be read.</summary>
    private async Task<List<FleetSignal>> WithRequestsAsync(string model, string version, List<FleetSignal> signals)
    {
        if (!signals.Any(s => ServingWatch.SampleKindOf(s.Kind) is not null))
        {
            return signals;
        }

        try
        {
            var samples = await GrainFactory.GetGrain<IVersionStatsGrain>(IVersionStatsGrain.KeyOf(model, version)).GetSamples(Serving.Window);
            return ServingWatch.WithRequests(signals, samples);
        }
        catch (Exception ex)
        {
            // The signal matters more than its examples: it goes out, and the log says why it names no request.
            LogServingFailed($"the sampled requests of model {model} version {version}", ex);
            return signals;
        }
    }

    /// <summary>The previous live version's last 24 h, read again every 5 min (it no longer serves, so it changes slowly).</summary>
    private async Task<StatsSnapshot> BaselineAsync(string model, string version, DateTimeOffset now)
    {
        if (_baselines.TryGetValue((model, version), out var cached) && now - cached.At < BaselineReread)
        {
            return cached.Snapshot;
        }

        var snapshot = await GrainFactory.GetGrain<IVersionStatsGrain>(IVersionStatsGrain.KeyOf(model, version)).Query(BaselineWindow);
        _baselines[(model, version)] = (now, snapshot);
        return snapshot;
    }

    private async Task RecordWatchedAsync(List<FleetSignal> signals)
    {
        if (signals.Count == 0)
        {
            return;
        }

        var recorded = DecisionTransitions.AddSignals(state.State, signals);
        await state.WriteStateAsync();
        foreach (var signal in recorded)
        {
            LogSignal(signal.Kind.ToWire(), signal.Model, signal.Version, signal.Reason);
        }

        await AnnounceAsync(recorded);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the serving statistics of {What} failed; the next read retries")]
    private partial void LogServingFailed(string what, Exception exception);
}
