using Fleet.Abstractions.Coordination;
using Fleet.Drift;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;
using Fleet.Monitoring.Multivariate;
using Fleet.Monitoring.Online;
using Fleet.Monitoring.Quality;
using Microsoft.Extensions.Logging;

namespace Fleet.Grains.Monitoring;

/// <summary>
/// Drift, quality and retraining for one model. Rows sampled on every silo arrive about once a second; a
/// grain timer runs the detectors over the merged window (period: the model's drift_interval), records each
/// run with its evidence, hands verdict changes to the coordinator and opens retraining requests.
/// The live window and the sequential detector's sums live in memory: after the grain moves they refill.
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
    public const int MaxRetainedRequests = 50;

    private readonly Dictionary<string, LiveWindow> _windows = [];

    /// <summary>When each version last received rows (memory only, like the windows): a baseline older than the quality window is not compared with.</summary>
    private readonly Dictionary<string, DateTimeOffset> _lastRowsAt = [];

    /// <summary>Rows each version received in all, reference collection included: what counts a confirmation check as fresh.</summary>
    private readonly Dictionary<string, long> _received = [];

    private readonly Dictionary<string, List<MonitorRow>> _pendingReference = [];
    private readonly Dictionary<string, VersionDetectors> _detectors = [];
    private readonly Dictionary<string, (SequentialState State, long Seen)> _sequential = [];
    private readonly Dictionary<string, ConfirmationState> _confirmations = [];
    private readonly Dictionary<string, long> _judgedTotals = [];
    private MonitorSettings _settings = MonitorSettings.Default;
    private IGrainTimer? _timer;

    private string Name => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var info = await GrainFactory.GetGrain<IModelGrain>(Name).TryGetInfo();
        if (info is not null)
        {
            _settings = (await GrainFactory.GetGrain<IModelGrain>(Name).GetConfig()).MonitoringOrDefault;
        }

        StartTimer();
    }

    public Task ApplySettings(MonitorSettings settings)
    {
        var restart = settings.DriftInterval != _settings.DriftInterval;
        _settings = settings;
        foreach (var version in _windows.Keys.ToArray())
        {
            if (_windows[version].Capacity != WindowCapacity)
            {
                _windows[version] = _windows[version].Resize(WindowCapacity);
            }
        }

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
            _lastRowsAt[batch.Version] = time.GetUtcNow();
            _received[batch.Version] = Received(batch.Version) + batch.Rows.Length;
            IEnumerable<MonitorRow> rows = batch.Rows;
            if (!references.State.Versions.ContainsKey(batch.Version))
            {
                // No uploaded reference: the first ReferenceRows live rows become it (and the API says so); the rest go to the window.
                var pending = _pendingReference.TryGetValue(batch.Version, out var list) ? list : _pendingReference[batch.Version] = [];
                var taken = Math.Min(batch.Rows.Length, _settings.ReferenceRows - pending.Count);
                pending.AddRange(batch.Rows.Take(taken));
                rows = batch.Rows.Skip(taken);
                if (pending.Count < _settings.ReferenceRows)
                {
                    continue;
                }

                references.State.Versions[batch.Version] = LiveReference(batch.Version, batch.FeatureNames, pending, time.GetUtcNow());
                _pendingReference.Remove(batch.Version);
                referenceAdded = true;
                LogLiveReference(Name, batch.Version, pending.Count);
            }

            var window = WindowOf(batch.Version);
            foreach (var row in rows)
            {
                window.Add(row, batch.FeatureNames);
            }
        }

        if (referenceAdded)
        {
            await references.WriteStateAsync();
        }
    }

    public async Task SetReference(ReferenceProfile profile)
    {
        references.State.Versions[profile.Version] = profile;
        await references.WriteStateAsync();
        _detectors.Remove(profile.Version);
        _sequential.Remove(profile.Version);
        _confirmations.Remove(profile.Version);
        _pendingReference.Remove(profile.Version);
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
        // The live version always; another version (asked for by id, a canary) while it receives rows. Its old
        // window is not judged again and again once its traffic stops.
        var versions = _windows.Where(kv => kv.Value.Total != _judgedTotals.GetValueOrDefault(kv.Key)).Select(kv => kv.Key)
            .Concat(info.LiveVersion is null ? [] : [info.LiveVersion]).Distinct(StringComparer.Ordinal).ToArray();
        var runs = new List<DriftRun>();
        foreach (var version in versions)
        {
            // Only the live version is judged against another's outputs: its last-known-good (the version it replaced,
            // never a quarantined one or a staged one tried by id), while that one's rows are recent.
            var run = await RunVersion(version, settings, now, version == info.LiveVersion ? info.LastKnownGood : null);
            runs.Add(run);
            _judgedTotals[version] = _windows.TryGetValue(version, out var judged) ? judged.Total : 0;
            var live = version == info.LiveVersion;
            await Signal(run, settings, live, live ? info.Versions.FirstOrDefault(v => v.Version == version)?.CreatedAt : null, now);
        }

        if (runs.Count > 0)
        {
            await state.WriteStateAsync();
        }

        return [.. runs];
    }

    public Task<DriftHistory> GetDrift(string version, int history)
    {
        var runs = state.State.Versions.TryGetValue(version, out var v) ? v.History : [];
        var window = _windows.TryGetValue(version, out var w) ? w.Count : 0;
        return Task.FromResult(new DriftHistory(version, ReferenceSummaryOf(version), runs.FirstOrDefault(),
            [.. runs.Take(Math.Clamp(history, 0, MaxHistory))], window));
    }

    public async Task<QualityReport> GetQuality(string version, TimeSpan window)
    {
        var detectors = await DetectorsFor(version, _settings);
        var live = _windows.TryGetValue(version, out var w) ? w.Last(_settings.DriftWindow) : [];
        return QualityEvaluation.Evaluate(version, time.GetUtcNow(), window, LabelsOf(version), labels.State.Unknown, detectors, live, _settings, BaselineFor(version, _settings));
    }

    public Task<RetrainRequest[]> GetRetrainRequests() => Task.FromResult(state.State.Retrain.AsEnumerable().Reverse().ToArray());

    public async Task<RetrainRequest> AckRetrain(string? id, string actor, string? note)
    {
        var index = state.State.Retrain.FindLastIndex(r => r.Status == RetrainStatus.Open && (id is null || r.Id == id));
        if (index < 0)
        {
            throw new RegistryException(RegistryErrorKind.NotFound, id is null
                ? $"model '{Name}' has no open retraining request"
                : $"id: model '{Name}' has no open retraining request '{id}'");
        }

        var acked = state.State.Retrain[index] with { Status = RetrainStatus.Acked, AckedBy = actor, AckedAt = time.GetUtcNow(), Note = note };
        state.State.Retrain[index] = acked;
        await state.WriteStateAsync();
        return acked;
    }

    private async Task<DriftRun> RunVersion(string version, MonitorSettings settings, DateTimeOffset now, string? outputBaseline = null)
    {
        var detectors = await DetectorsFor(version, settings);
        var window = _windows.TryGetValue(version, out var w) ? w : null;
        var rows = window?.Last(settings.DriftWindow) ?? [];
        var driftSettings = new DriftSettings
        {
            Alpha = settings.DriftAlpha,
            Correction = settings.DriftCorrection,
            MinSamples = settings.DriftMinSamples,
            NumericEffectThreshold = settings.DriftEffect,
            CategoricalEffectThreshold = settings.DriftEffect,
            OutputFeatureName = ReferenceProfile.OutputName,
        };

        DriftReport report;
        ReconstructionResult? multivariate = null;
        SequentialUpdate? sequential = null;
        var outputs = OutputsAgainstPrevious(version, outputBaseline, rows, settings, driftSettings, now);
        if (detectors is null)
        {
            var pending = _pendingReference.TryGetValue(version, out var p) ? p.Count : 0;
            report = new DriftReport(DriftVerdict.InsufficientData,
                $"no reference yet: {pending} of {settings.ReferenceRows} live rows collected to make one (or upload one with the version)",
                0, 0, rows.Count, []);
            if (outputs is not null)
            {
                // The previous version's outputs need no reference: a collapse shows before one is recorded from the version itself.
                var raw = report;
                report = DriftConfirmation.Apply(report, Confirmation(version), Received(version), settings.DriftWindow, driftSettings, [outputs]);
                report = report.Overall == DriftVerdict.InsufficientData ? report with { Reason = raw.Reason } : report;
            }
        }
        else
        {
            var columns = Columns(detectors, window?.FeatureNames ?? detectors.Profile.FeatureNames, rows);
            report = DriftAnalyzer.Analyze(detectors.References, columns, driftSettings);
            if (detectors.Multivariate is { } pca)
            {
                var numeric = detectors.NumericFeatures();
                multivariate = pca.Evaluate(VersionDetectors.Rows(columns.ToArray(), numeric, rows.Count));
            }

            if (detectors.Sequential is { } cusum && window is not null)
            {
                sequential = Sequential(version, cusum, detectors, window);
            }

            report = DriftConfirmation.Apply(report, Confirmation(version), Received(version), settings.DriftWindow, driftSettings,
                [.. DetectorEvidence.Checks(multivariate, sequential), .. outputs is null ? Array.Empty<DetectorCheck>() : [outputs]]);
        }

        var quality = QualityEvaluation.Evaluate(version, now, settings.QualityWindow, LabelsOf(version), labels.State.Unknown, detectors, rows, settings, BaselineFor(version, settings));
        string[] notes = [
            .. detectors?.MultivariateUnavailable is { } m ? [$"multivariate: {m}"] : Array.Empty<string>(),
            .. detectors?.SequentialUnavailable is { } q ? [$"sequential: {q}"] : Array.Empty<string>(),
        ];
        var run = new DriftRun(version, now, detectors?.Profile.Source ?? "none", report, multivariate, sequential, quality, notes);
        var history = VersionState(version).History;
        history.Insert(0, run);
        if (history.Count > MaxHistory)
        {
            history.RemoveRange(MaxHistory, history.Count - MaxHistory);
        }

        MonitorMetrics.Record(Name, run);
        LogRun(Name, version, report.Overall.ToWire(), report.CurrentCount, quality.Verdict);
        return run;
    }

    private long Received(string version) => _received.GetValueOrDefault(version);

    private ConfirmationState Confirmation(string version) =>
        _confirmations.TryGetValue(version, out var c) ? c : _confirmations[version] = new ConfirmationState();

    /// <summary>
    /// This version's outputs against <paramref name="baseline"/>'s (the live version's last-known-good) over the same
    /// window size; null while either has too few rows, or when the baseline's last rows are older than the quality window.
    /// </summary>
    private DetectorCheck? OutputsAgainstPrevious(string version, string? baseline, List<MonitorRow> rows, MonitorSettings settings, DriftSettings driftSettings, DateTimeOffset now)
    {
        if (baseline is null || baseline == version || !_lastRowsAt.TryGetValue(baseline, out var at) || now - at > settings.QualityWindow)
        {
            return null;
        }

        rows = rows.Count > 0 ? rows : Recent(version, settings.DriftWindow);
        var before = Recent(baseline, settings.DriftWindow);
        var classifier = rows.Any(r => r.Predicted >= 0);
        return OutputComparison.Compare(baseline, classifier ? FeatureKind.Categorical : FeatureKind.Numeric,
            before.Select(r => classifier ? r.Predicted : r.Output).ToArray(), rows.Select(r => classifier ? r.Predicted : r.Output).ToArray(), driftSettings);
    }

    /// <summary>A version's last rows: its window, or while its reference is still being collected from live traffic, those rows.</summary>
    private List<MonitorRow> Recent(string version, int count) =>
        _windows.TryGetValue(version, out var window) && window.Count > 0 ? window.Last(count)
        : _pendingReference.TryGetValue(version, out var pending) ? pending.TakeLast(count).ToList()
        : [];

    /// <summary>Feeds the rows the CUSUM has not seen yet; an alarm restarts it (the alarm stays in the run's record).</summary>
    private SequentialUpdate Sequential(string version, SequentialDetector detector, VersionDetectors detectors, LiveWindow window)
    {
        var (sums, seen) = _sequential.TryGetValue(version, out var s) ? s : (detector.NewState(), window.Total - Math.Min(window.Total, window.Count));
        var fresh = window.Last(window.Total - seen);
        var columns = Columns(detectors, window.FeatureNames, fresh);
        var rows = new List<double[]>(fresh.Count);
        for (var r = 0; r < fresh.Count; r++)
        {
            var row = new double[columns.Count];
            for (var c = 0; c < columns.Count; c++)
            {
                row[c] = columns[c][r];
            }

            rows.Add(row);
        }

        var update = detector.Update(sums, rows);
        _sequential[version] = (update.Alarm ? detector.NewState() : sums, window.Total);
        return update;
    }

    /// <summary>Verdict changes go to the coordinator for every version; retraining is requested for the live version only.</summary>
    private async Task Signal(DriftRun run, MonitorSettings settings, bool live, DateTimeOffset? liveSince, DateTimeOffset now)
    {
        var versionState = VersionState(run.Version);
        var drift = run.Report.Overall.ToWire();
        var signals = new List<FleetSignal>();
        // Triggers whose verdict entered its alarm on this run: a new episode joins the open request even when the kind is on it.
        var fresh = new HashSet<string>(StringComparer.Ordinal);
        if (drift != versionState.LastDrift && run.Report.Overall != DriftVerdict.InsufficientData)
        {
            var kind = run.Report.Overall == DriftVerdict.Drift ? "drift" : versionState.LastDrift == "drift" ? "drift_cleared" : null;
            if (kind == "drift")
            {
                fresh.Add("drift");
            }

            if (kind is not null)
            {
                signals.Add(new FleetSignal(kind, Name, run.Version, now, run.Report.Reason, new Dictionary<string, double>
                {
                    ["drifted_share"] = run.Report.DriftedShare,
                    ["current_rows"] = run.Report.CurrentCount,
                }));
            }

            versionState.LastDrift = drift;
        }

        if (run.Quality is { } q && q.Verdict != versionState.LastQuality && q.Verdict != QualityEvaluation.InsufficientData)
        {
            if (q.Verdict != QualityEvaluation.Ok)
            {
                fresh.Add(q.Verdict == QualityEvaluation.QualityDrop ? "quality" : "estimated_quality");
                signals.Add(new FleetSignal(q.Verdict.Replace('-', '_'), Name, run.Version, now, q.Reason, new Dictionary<string, double> { ["labels_joined"] = q.LabelsJoined }));
            }

            versionState.LastQuality = q.Verdict;
        }

        var fired = live ? RetrainPolicy.Evaluate(run, settings, liveSince, now) : [];
        if (fired.Count > 0 && OpenOrExtend(run.Version, fired, fresh, settings, now) is { } opened)
        {
            signals.Add(new FleetSignal("retrain_requested", Name, run.Version, now,
                string.Join("; ", opened.Triggers.Select(t => t.Reason)), new Dictionary<string, double>()));
        }

        var coordinator = GrainFactory.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key);
        foreach (var signal in signals)
        {
            await coordinator.Signal(signal);
        }
    }

    /// <summary>
    /// One open request per model, accumulating every trigger (<see cref="RetrainPolicy.Additions"/>); with none open
    /// (acknowledged) a new one is opened and delivered.
    /// </summary>
    private RetrainRequest? OpenOrExtend(string version, List<RetrainReason> fired, IReadOnlySet<string> fresh, MonitorSettings settings, DateTimeOffset now)
    {
        var open = state.State.Retrain.FindLastIndex(r => r.Status == RetrainStatus.Open);
        if (open >= 0)
        {
            var existing = state.State.Retrain[open];
            var added = RetrainPolicy.Additions(existing, version, fired, fresh);
            if (added.Length > 0)
            {
                state.State.Retrain[open] = existing with { Triggers = [.. existing.Triggers, .. added] };
                LogRetrainExtended(Name, existing.Id, string.Join(",", added.Select(a => a.Trigger)), version);
            }

            return null;
        }

        var request = new RetrainRequest($"rt-{Guid.NewGuid():N}"[..15], Name, version, now, [.. fired], RetrainStatus.Open, null, null, null, []);
        state.State.Retrain.Add(request);
        if (state.State.Retrain.Count > MaxRetainedRequests)
        {
            state.State.Retrain.RemoveAt(state.State.Retrain.FindIndex(r => r.Status != RetrainStatus.Open));
        }

        LogRetrainOpened(Name, request.Id, string.Join(",", fired.Select(f => f.Trigger)));
        Deliver(request, settings.RetrainWebhook);
        return request;
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
                deliveries = [new RetrainDelivery("delivery", time.GetUtcNow(), false, $"delivering failed: {ex.GetType().Name}: {ex.Message}")];
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
        var index = state.State.Retrain.FindIndex(r => r.Id == id);
        if (index < 0 || deliveries.Length == 0)
        {
            return;
        }

        state.State.Retrain[index] = state.State.Retrain[index] with { Deliveries = [.. state.State.Retrain[index].Deliveries, .. deliveries] };
        await state.WriteStateAsync();
        LogDelivered(Name, id, deliveries.Count(d => d.Ok), deliveries.Length);
    }

    /// <summary>The window's values per reference column (features by name, then the output when monitored); a feature the rows lack is all NaN.</summary>
    private static List<double[]> Columns(VersionDetectors detectors, string[] rowFeatureNames, List<MonitorRow> rows)
    {
        var profile = detectors.Profile;
        var columns = new List<double[]>(profile.FeatureNames.Length + 1);
        foreach (var name in profile.FeatureNames)
        {
            var index = Array.IndexOf(rowFeatureNames, name);
            var column = new double[rows.Count];
            for (var r = 0; r < rows.Count; r++)
            {
                column[r] = index >= 0 && index < rows[r].Features.Length ? rows[r].Features[index] : double.NaN;
            }

            columns.Add(column);
        }

        if (detectors.HasOutput)
        {
            columns.Add(rows.Select(r => r.Output).ToArray());
        }

        return columns;
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

    private static ReferenceProfile LiveReference(string version, string[] featureNames, List<MonitorRow> rows, DateTimeOffset now)
    {
        var columns = new double[featureNames.Length][];
        for (var c = 0; c < featureNames.Length; c++)
        {
            columns[c] = rows.Select(r => c < r.Features.Length ? r.Features[c] : double.NaN).ToArray();
        }

        var predicted = rows.Select(r => r.Predicted).ToArray();
        var classifier = predicted.Any(p => p >= 0);
        var output = rows.Select(r => r.Output).ToArray();
        return new ReferenceProfile(version, "live", now, featureNames,
            columns.Select(c => FeatureKinds.Infer(c)).ToArray(), columns, output,
            classifier ? FeatureKinds.Infer(output) : FeatureKind.Numeric,
            predicted, rows.Select(r => r.Confidence).ToArray(), null, classifier ? predicted.Max() + 1 : 0);
    }

    private ReferenceSummary? ReferenceSummaryOf(string version)
    {
        var pending = _pendingReference.TryGetValue(version, out var p) ? p.Count : 0;
        return references.State.Versions.TryGetValue(version, out var profile)
            ? new ReferenceSummary(profile.Source, profile.RowCount, profile.Labels is not null, profile.CreatedAt, 0)
            : pending > 0 ? new ReferenceSummary("pending", 0, false, time.GetUtcNow(), pending) : null;
    }

    /// <summary>
    /// The version that served labelled traffic most recently besides <paramref name="version"/> (the previous
    /// live one after a promotion; the other side of a canary), over its last <see cref="BaselineLabels"/> labels:
    /// a per-model baseline that survives promotions, since labels are kept per version.
    /// </summary>
    private QualityBaseline? BaselineFor(string version, MonitorSettings settings)
    {
        var other = labels.State.Versions
            .Where(kv => kv.Key != version && kv.Value.Count >= settings.QualityMinLabels)
            .OrderByDescending(kv => kv.Value.Max(l => l.PredictedAt))
            .Select(kv => (Version: kv.Key, Labels: kv.Value))
            .FirstOrDefault();
        if (other.Labels is null)
        {
            return null;
        }

        var recent = other.Labels.OrderBy(l => l.PredictedAt).TakeLast(BaselineLabels).ToArray();
        if (recent.Any(l => l.Predicted >= 0))
        {
            var classCount = recent.Max(l => Math.Max(l.Predicted, (int)l.Label)) + 1;
            return new QualityBaseline(other.Version, QualityMetrics.Classification(recent.Select(l => (int)l.Label).ToArray(), recent.Select(l => l.Predicted).ToArray(), null, classCount), null);
        }

        return new QualityBaseline(other.Version, null, QualityMetrics.Regression(recent.Select(l => l.Label).ToArray(), recent.Select(l => l.Value).ToArray()));
    }

    private const int BaselineLabels = 5000;

    private IReadOnlyList<LabeledPrediction> LabelsOf(string version) =>
        labels.State.Versions.TryGetValue(version, out var list) ? list : [];

    private VersionMonitorState VersionState(string version) =>
        state.State.Versions.TryGetValue(version, out var v) ? v : state.State.Versions[version] = new VersionMonitorState();

    private int WindowCapacity => Math.Max(_settings.DriftWindow, 1);

    private LiveWindow WindowOf(string version) =>
        _windows.TryGetValue(version, out var w) ? w : _windows[version] = new LiveWindow(WindowCapacity);

    private void StartTimer()
    {
        _timer?.Dispose();
        var period = _settings.DriftInterval;
        _timer = this.RegisterGrainTimer(async _ => await RunDetectors(), new GrainTimerCreationOptions(period, period) { KeepAlive = true });
    }

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
