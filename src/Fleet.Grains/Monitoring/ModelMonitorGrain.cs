using Fleet.Abstractions.Coordination;
using Fleet.Drift;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;
using Fleet.Monitoring.Quality;
using Microsoft.Extensions.Logging;

namespace Fleet.Grains.Monitoring;

/// <summary>
/// Drift, quality and retraining for one model. Rows sampled on every silo arrive about once a second; a
/// grain timer runs the detectors over the merged window (period: the model's drift_interval), records each
/// run with its evidence, hands verdict changes to the coordinator and opens retraining requests.
/// The live window and the sequential detector's sums live in memory: after the grain moves they refill.
/// The grain orchestrates: rows in <see cref="RowIntake"/>, the run in <see cref="DetectorRun"/>, verdict changes in
/// <see cref="VerdictSignals"/>, retraining requests in <see cref="RetrainBook"/>.
/// </summary>
internal sealed partial class ModelMonitorGrain(
    [PersistentState("monitor", FleetStorage.Name)] IPersistentState<MonitorState> state,
    [PersistentState("labels", FleetStorage.Name)] IPersistentState<LabelState> labels,
    [PersistentState("references", FleetStorage.Name)] IPersistentState<ReferenceState> references,
    TimeProvider time,
    IRetrainNotifier notifier,
    ILogger<ModelMonitorGrain> logger) : Grain, IModelMonitorGrain
{
    public const int MaxHistory = 50;
    public const int MaxLabelsPerVersion = 20_000;
    public const int MaxRetainedRequests = RetrainBook.MaxRetained;

    private readonly RowIntake _rows = new();
    private readonly Dictionary<string, VersionDetectors> _detectors = [];
    private readonly Dictionary<string, DetectorRun.SequentialCursor> _sequential = [];
    private readonly Dictionary<string, ConfirmationState> _confirmations = [];
    private MonitorSettings _settings = MonitorSettings.Default;
    private IGrainTimer? _timer;
    private DetectorHeartbeat? _heartbeat;

    private string Name => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var info = await GrainFactory.GetGrain<IModelGrain>(Name).TryGetInfo();
        if (info is not null)
        {
            _settings = (await GrainFactory.GetGrain<IModelGrain>(Name).GetConfig()).MonitoringOrDefault;
        }

        _heartbeat = new DetectorHeartbeat(time.GetUtcNow());
        StartTimer();
    }

    public Task ApplySettings(MonitorSettings settings)
    {
        var restart = settings.DriftInterval != _settings.DriftInterval;
        _settings = settings;
        _rows.Resize(settings);

        if (restart)
        {
            StartTimer();
        }

        return Task.CompletedTask;
    }

    public async Task Ingest(VersionRows[] batches)
    {
        var referenceAdded = false;
        foreach (var batch in batches)
        {
            if (_rows.Add(batch, references.State.Versions, _settings, time.GetUtcNow()) is { } made)
            {
                references.State.Versions[batch.Version] = made;
                referenceAdded = true;
                LogLiveReference(Name, batch.Version, made.RowCount);
            }
        }

        if (referenceAdded)
        {
            await references.WriteStateAsync();
        }

        if (_heartbeat?.RowsArrived(Name, _settings.DriftInterval, time.GetUtcNow()) is { } overdue)
        {
            await PulseAsync(overdue);
        }
    }

    public async Task SetReference(ReferenceProfile profile)
    {
        references.State.Versions[profile.Version] = profile;
        await references.WriteStateAsync();
        _detectors.Remove(profile.Version);
        _sequential.Remove(profile.Version);
        _confirmations.Remove(profile.Version);
        _rows.DropPending(profile.Version);
    }

    public async Task AddLabels(LabeledPrediction[] joined, int unknown)
    {
        foreach (var group in joined.GroupBy(l => l.Version))
        {
            var list = labels.State.Versions.TryGetValue(group.Key, out var existing) ? existing : labels.State.Versions[group.Key] = [];
            // A label sent twice for the same prediction replaces the first (a correction), it is not counted twice.
            var incoming = group.ToDictionary(l => l.Id, StringComparer.Ordinal);
            list.RemoveAll(l => incoming.ContainsKey(l.Id));
            list.AddRange(incoming.Values);
            if (list.Count > MaxLabelsPerVersion)
            {
                list.RemoveRange(0, list.Count - MaxLabelsPerVersion);
            }
        }

        labels.State.Unknown += unknown;
        await labels.WriteStateAsync();
    }

    public Task<LabeledPrediction[]> GetLabels(string version, DateTimeOffset since) =>
        Task.FromResult(LabelsOf(version).Where(l => l.PredictedAt >= since).ToArray());

    public async Task<DriftRun[]> RunDetectors()
    {
        var model = GrainFactory.GetGrain<IModelGrain>(Name);
        var info = await model.TryGetInfo();
        if (info is null)
        {
            return [];
        }

        var settings = (await model.GetConfig()).MonitoringOrDefault;
        await ApplySettings(settings);
        var now = time.GetUtcNow();
        var versions = _rows.ToJudge(info.LiveVersion);
        using var span = GrainActivity.Source.StartActivity("drift.run")?.SetTag("fleet.model", Name).SetTag("fleet.versions", string.Join(",", versions));
        var runs = new List<DriftRun>();
        foreach (var version in versions)
        {
            // Only the live version is judged against another's outputs: its last-known-good (the version it replaced,
            // never a quarantined one or a staged one tried by id), while that one's rows are recent.
            var run = await RunVersion(version, settings, now, version == info.LiveVersion ? info.LastKnownGood : null);
            runs.Add(run);
            _rows.Judged(version);
            var live = version == info.LiveVersion;
            await Signal(run, settings, live, live ? info.Versions.FirstOrDefault(v => v.Version == version)?.CreatedAt : null, now);
        }

        if (runs.Count > 0)
        {
            await state.WriteStateAsync();
        }

        if (_heartbeat?.Ran(Name, now) is { } recovered)
        {
            await PulseAsync(recovered);
        }

        return [.. runs];
    }

    public Task<DriftHistory> GetDrift(string version, int history)
    {
        var runs = state.State.Versions.TryGetValue(version, out var v) ? v.History : [];
        var window = _rows.Window(version)?.Count ?? 0;
        return Task.FromResult(new DriftHistory(version, ReferenceSummaryOf(version), runs.FirstOrDefault(),
            [.. runs.Take(Math.Clamp(history, 0, MaxHistory))], window));
    }

    public async Task<QualityReport> GetQuality(string version, TimeSpan window)
    {
        var detectors = await DetectorsFor(version, _settings);
        var live = _rows.Window(version)?.Last(_settings.DriftWindow) ?? [];
        return QualityEvaluation.Evaluate(version, time.GetUtcNow(), window, LabelsOf(version), labels.State.Unknown, detectors, live, _settings,
            QualityBaselines.Of(labels.State, version, _settings), Levels(_settings).QualityZ);
    }

    public async Task SetAlarmLevel(double? perLook)
    {
        if (state.State.BudgetLevel != perLook)
        {
            state.State.BudgetLevel = perLook;
            await state.WriteStateAsync();
        }
    }

    private DetectorLevels Levels(MonitorSettings settings) => DetectorLevels.Of(settings, state.State.BudgetLevel);

    public Task<RetrainRequest[]> GetRetrainRequests() => Task.FromResult(state.State.Retrain.AsEnumerable().Reverse().ToArray());

    public async Task<RetrainRequest> AckRetrain(string? id, string actor, string? note)
    {
        var acked = RetrainBook.Ack(state.State.Retrain, Name, id, actor, note, time.GetUtcNow());
        await state.WriteStateAsync();
        return acked;
    }

    private async Task<DriftRun> RunVersion(string version, MonitorSettings settings, DateTimeOffset now, string? outputBaseline = null)
    {
        var detectors = await DetectorsFor(version, settings);
        var sequential = _sequential.GetValueOrDefault(version);
        var confirmation = _confirmations.TryGetValue(version, out var c) ? c : _confirmations[version] = new ConfirmationState();
        var run = DetectorRun.Run(version, settings, now, detectors, _rows, outputBaseline, confirmation, ref sequential,
            new RunLabels(LabelsOf(version), labels.State.Unknown, QualityBaselines.Of(labels.State, version, settings)), Levels(settings));
        if (sequential is not null)
        {
            _sequential[version] = sequential;
        }

        var history = VersionState(version).History;
        history.Insert(0, run);
        if (history.Count > MaxHistory)
        {
            history.RemoveRange(MaxHistory, history.Count - MaxHistory);
        }

        MonitorMetrics.Record(Name, run);
        LogRun(Name, version, run.Report.Overall.ToWire(), run.Report.CurrentCount, run.Quality!.Verdict.ToWire());
        return run;
    }

    /// <summary>Verdict changes go to the coordinator for every version; retraining is requested for the live version only.</summary>
    private async Task Signal(DriftRun run, MonitorSettings settings, bool live, DateTimeOffset? liveSince, DateTimeOffset now)
    {
        var (signals, fresh) = VerdictSignals.Of(VersionState(run.Version), Name, run, now);
        var fired = live ? RetrainPolicy.Evaluate(run, settings, liveSince, now) : [];
        if (fired.Count > 0)
        {
            var change = RetrainBook.OpenOrExtend(state.State.Retrain, Name, run.Version, fired, fresh, $"rt-{Guid.NewGuid():N}"[..15], now);
            if (change.Extended is { } extended)
            {
                LogRetrainExtended(Name, extended.Id, string.Join(",", change.Added.Select(a => a.Trigger)), run.Version);
            }

            if (change.Opened is { } opened)
            {
                LogRetrainOpened(Name, opened.Id, string.Join(",", fired.Select(f => f.Trigger)));
                Deliver(opened, settings.RetrainWebhook);
                signals.Add(RetrainBook.Requested(opened, now));
            }
        }

        var coordinator = GrainFactory.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key);
        foreach (var signal in signals)
        {
            await coordinator.Signal(signal);
        }
    }

    /// <summary>
    /// Delivers in the background: a slow webhook or command (up to its timeout) must not hold the grain,
    /// whose callers have a 10 s response timeout. The outcome comes back as a call to <see cref="RecordDeliveries"/>.
    /// </summary>
    private void Deliver(RetrainRequest request, string? webhook)
    {
        var self = this.AsReference<IModelMonitorGrain>();
        _ = Task.Run(async () =>
        {
            RetrainDelivery[] deliveries;
            try
            {
                deliveries = await notifier.DeliverAsync(request, webhook, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // Recorded on the request like any failed delivery (fleet retrain list shows it), not lost in a task.
                LogDeliveryCrashed(Name, request.Id, ex);
                deliveries = [RetrainBook.Crashed(ex, time.GetUtcNow())];
            }

            try
            {
                await self.RecordDeliveries(request.Id, deliveries);
            }
            catch (Exception ex)
            {
                LogDeliveriesNotRecorded(Name, request.Id, ex);
            }
        });
    }

    public async Task RecordDeliveries(string id, RetrainDelivery[] deliveries)
    {
        if (!RetrainBook.RecordDeliveries(state.State.Retrain, id, deliveries))
        {
            return;
        }

        await state.WriteStateAsync();
        LogDelivered(Name, id, deliveries.Count(d => d.Ok), deliveries.Length);
    }

    private async Task<VersionDetectors?> DetectorsFor(string version, MonitorSettings settings)
    {
        if (!references.State.Versions.TryGetValue(version, out var profile))
        {
            return null;
        }

        if (_detectors.TryGetValue(version, out var cached) && cached.Ert == settings.DriftErt && ReferenceEquals(cached.Profile, profile))
        {
            return cached;
        }

        // Calibration simulates thousands of stream paths: off the grain's turn thread, once per profile and ERT.
        var built = await Task.Run(() => VersionDetectors.Build(profile, settings.DriftErt));
        _detectors[version] = built;
        _sequential.Remove(version);
        return built;
    }

    private ReferenceSummary? ReferenceSummaryOf(string version)
    {
        var pending = _rows.Pending(version);
        return references.State.Versions.TryGetValue(version, out var profile)
            ? new ReferenceSummary(profile.Source, profile.RowCount, profile.Labels is not null, profile.CreatedAt, 0)
            : pending > 0 ? new ReferenceSummary("pending", 0, false, time.GetUtcNow(), pending) : null;
    }

    private IReadOnlyList<LabeledPrediction> LabelsOf(string version) =>
        labels.State.Versions.TryGetValue(version, out var list) ? list : [];

    private VersionMonitorState VersionState(string version) =>
        state.State.Versions.TryGetValue(version, out var v) ? v : state.State.Versions[version] = new VersionMonitorState();

    /// <summary>
    /// The heartbeat's signal to the coordinator. The rows were taken and the run is done whatever happens here, so a
    /// failure does not fail the call (the flush would count taken rows as dropped): the heartbeat is undone and raises again.
    /// </summary>
    private async Task PulseAsync(FleetSignal signal)
    {
        try
        {
            await GrainFactory.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).Signal(signal);
        }
        catch (Exception ex)
        {
            _heartbeat?.Undo(signal);
            LogPulseFailed(Name, signal.Kind.ToWire(), ex);
        }
    }

    private void StartTimer()
    {
        _timer?.Dispose();
        var period = _settings.DriftInterval;
        _timer = this.RegisterGrainTimer(async _ => await RunDetectors(), new GrainTimerCreationOptions(period, period) { KeepAlive = true });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model}: the detectors' {Kind} signal could not be given to the coordinator; it is raised again on the next rows or run")]
    private partial void LogPulseFailed(string model, string kind, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version}: the first {Rows} live rows became the drift reference (none was uploaded)")]
    private partial void LogLiveReference(string model, string version, int rows);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Model {Model} version {Version}: drift {Verdict} on {Rows} rows, quality {Quality}")]
    private partial void LogRun(string model, string version, string verdict, int rows, string quality);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model}: retraining request {Id} opened ({Triggers})")]
    private partial void LogRetrainOpened(string model, string id, string triggers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model}: retraining request {Id} extended ({Triggers}, version {Version})")]
    private partial void LogRetrainExtended(string model, string id, string triggers, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model}: retraining request {Id} delivered to {Ok} of {Targets} targets")]
    private partial void LogDelivered(string model, string id, int ok, int targets);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model}: the delivery outcome of retraining request {Id} could not be recorded")]
    private partial void LogDeliveriesNotRecorded(string model, string id, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model}: delivering retraining request {Id} failed")]
    private partial void LogDeliveryCrashed(string model, string id, Exception exception);
}
