using Fleet.Abstractions.Alerting;
using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fleet.Grains.Alerting;

/// <summary>
/// The cluster's alerting grain. Each signal the coordinator records comes here (one-way); <see cref="AlertBook"/>
/// turns it into alert transitions, <see cref="IncidentBook"/> into incident lines, <see cref="Outbox"/> into
/// notifications, all persisted before anything is sent, then delivered at once (an alert reaches its sinks on the
/// signal that fires it, not on the next tick). Every silo's ticker calls <see cref="Tick"/> each
/// <see cref="AlertingOptions.EvaluationInterval"/>: pending alerts fire, held ones resolve, failed deliveries retry.
/// </summary>
internal sealed partial class AlertingGrain(
    [PersistentState("alerting", FleetStorage.Name)] IPersistentState<AlertingState> state,
    IOptions<AlertingOptions> options,
    TimeProvider time,
    ILogger<AlertingGrain> logger,
    IAlertSinks? sinks = null) : Grain, IAlertingGrain
{
    private readonly IAlertSinks _sinks = sinks ?? NoAlertSinks.Instance;

    // The outbox's drop count when last checked: drops after it are signalled (the stored count survives restarts).
    private long _droppedSeen = -1;

    private AlertingOptions Options => options.Value;

    private static IReadOnlyList<AlertRule> Rules => AlertRules.BuiltIn;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _droppedSeen = state.State.Dropped;
        return Task.CompletedTask;
    }

    public async Task Observe(FleetSignal signal)
    {
        var now = time.GetUtcNow();
        var s = state.State;
        s.Recent.Add(signal);
        if (s.Recent.Count > Options.MaxRecentSignals)
        {
            s.Recent.RemoveRange(0, s.Recent.Count - Options.MaxRecentSignals);
        }

        await ReadSettingsAsync(signal.Model);

        // The signal goes on an open incident's timeline first, so the alert it fires reads after it.
        IncidentBook.OnSignal(s, signal, Options, now);
        var transitions = AlertBook.Observe(s, signal, Rules, Options, now, s.Settings.GetValueOrDefault(signal.Model));
        Record(transitions, now);
        await state.WriteStateAsync();
        await DeliverAsync(now);
    }

    public async Task<AlertingStatus> Tick()
    {
        // A pending alert waits on its model's `for`: read it again, it may have been changed meanwhile.
        foreach (var model in state.State.Alerts.Values.Where(a => a.State == AlertState.Pending).Select(a => a.Model).Distinct(StringComparer.Ordinal).ToArray())
        {
            await ReadSettingsAsync(model);
        }

        var now = time.GetUtcNow();
        var transitions = AlertBook.Step(state.State, Rules, Options, now);
        Record(transitions, now);
        state.State.LastEvaluatedAt = now;
        if (transitions.Count > 0)
        {
            await state.WriteStateAsync();
        }

        await DeliverAsync(now);
        return Status();
    }

    public Task<Alert[]> GetAlerts(AlertState? filter) => Task.FromResult(state.State.Alerts.Values
        .Where(a => filter is null || a.State == filter)
        .OrderByDescending(a => a.FiredAt ?? a.StartsAt).ThenBy(a => a.Fingerprint, StringComparer.Ordinal)
        .ToArray());

    public Task<AlertingStatus> GetStatus() => Task.FromResult(Status());

    public async Task<Silence> AddSilence(string[] matchers, TimeSpan duration, string comment, string actor)
    {
        if (matchers.Length == 0)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, "matchers: give at least one (e.g. model=churn)");
        }

        foreach (var m in matchers)
        {
            try
            {
                SilenceMatchers.Parse(m);
            }
            catch (FormatException ex)
            {
                throw new RegistryException(RegistryErrorKind.Invalid, "matchers: " + ex.Message);
            }
        }

        if (duration <= TimeSpan.Zero)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, $"for: the silence's duration must be positive, got {duration}");
        }

        var now = time.GetUtcNow();
        var silence = new Silence($"x{++state.State.SilenceCount:D6}", matchers, now, now + duration, comment, actor);
        state.State.Silences.RemoveAll(x => x.EndsAt <= now);
        state.State.Silences.Add(silence);
        Record(AlertBook.Step(state.State, Rules, Options, now), now);
        await state.WriteStateAsync();
        return silence;
    }

    public async Task<Silence> ExpireSilence(string id, string actor)
    {
        var now = time.GetUtcNow();
        var at = state.State.Silences.FindIndex(x => x.Id == id);
        if (at < 0)
        {
            throw new RegistryException(RegistryErrorKind.NotFound, $"silence '{id}' not found");
        }

        var expired = state.State.Silences[at] with { EndsAt = now };
        state.State.Silences[at] = expired;
        Record(AlertBook.Step(state.State, Rules, Options, now), now);
        await state.WriteStateAsync();
        await DeliverAsync(now);
        return expired;
    }

    public Task<Silence[]> GetSilences()
    {
        var now = time.GetUtcNow();
        return Task.FromResult(state.State.Silences.Where(x => x.EndsAt > now).ToArray());
    }

    public Task<Incident[]> GetIncidents(string? model, IncidentState? filter) => Task.FromResult(state.State.Incidents
        .AsEnumerable().Reverse()
        .Where(i => (model is null || i.Model == model) && (filter is null || i.State == filter))
        .ToArray());

    public Task<Incident?> GetIncident(string id) => Task.FromResult(state.State.Incidents.FirstOrDefault(i => i.Id == id));

    public async Task<Incident> ActOnIncident(string id, string action, string actor, string? text)
    {
        var incident = IncidentBook.Act(state.State, id, action, actor, text, Options, time.GetUtcNow());
        await state.WriteStateAsync();
        return incident;
    }

    /// <summary>
    /// The model's rule overrides from its config. A model grain that cannot be reached leaves the last ones read
    /// (logged): the signal is still evaluated, never dropped for want of a setting.
    /// </summary>
    private async Task ReadSettingsAsync(string model)
    {
        try
        {
            var route = await GrainFactory.GetGrain<IModelGrain>(model).GetRoute();
            if (route?.Config.Alerting is { } settings && settings != AlertSettings.Default)
            {
                state.State.Settings[model] = settings;
            }
            else
            {
                state.State.Settings.Remove(model);
            }
        }
        catch (Exception ex)
        {
            LogSettingsUnreadable(model, ex);
        }
    }

    /// <summary>Incident lines and notifications for what changed; logged, as every alert change is.</summary>
    private void Record(List<AlertTransition> transitions, DateTimeOffset now)
    {
        foreach (var t in transitions)
        {
            IncidentBook.OnTransition(state.State, t, Options, now);
            if (t.To is AlertState.Firing or AlertState.Resolved)
            {
                LogAlert(t.Alert.Name, t.To.ToString().ToLowerInvariant(), t.Alert.Model, t.Alert.Labels.GetValueOrDefault(AlertLabels.Version), t.Alert.Silenced);
            }
        }

        Outbox.Enqueue(state.State, transitions, _sinks.Webhooks, Options, now);
    }

    /// <summary>
    /// One attempt at everything due: Alertmanager's current alerts, then each webhook notification due; results
    /// persisted. A sink that keeps failing (or a full outbox) is itself signalled (<see cref="SinkHealth"/>), through
    /// the coordinator like every signal, so it is listed and alerted at the sinks that still work.
    /// </summary>
    private async Task DeliverAsync(DateTimeOffset now)
    {
        var s = state.State;
        var changed = false;
        var health = new List<FleetSignal?>();
        if (!_sinks.HasAlertmanager)
        {
            s.AlertmanagerDue = false;
        }
        else if (Outbox.ForAlertmanager(s, Options, now) is { } alerts)
        {
            using var timeout = new CancellationTokenSource(Options.DeliveryTimeout);
            using var span = Deliver("alertmanager", null, null);
            var outcome = await _sinks.SendAlertmanagerAsync(alerts, now, timeout.Token);
            span?.SetTag("fleet.alerts", alerts.Length).SetTag("fleet.outcome", outcome.Delivered ? "delivered" : "failed");
            if (outcome.Delivered)
            {
                (s.AlertmanagerSentAt, s.AlertmanagerDue) = (now, false);
            }
            else
            {
                LogDeliveryFailed("alertmanager", "current alerts", outcome.Error);
            }

            health.Add(SinkHealth.Record(s, "alertmanager", outcome, now));
            changed = true;
        }

        var anyDelivered = false;
        foreach (var notification in Outbox.Due(s, now))
        {
            using var timeout = new CancellationTokenSource(Options.DeliveryTimeout);
            using var span = Deliver(notification.Sink, notification.Id, notification.Model);
            var outcome = await _sinks.SendWebhookAsync(notification, timeout.Token);
            span?.SetTag("fleet.attempt", notification.Attempts + 1).SetTag("fleet.outcome", outcome.Delivered ? "delivered" : "failed");
            if (outcome.Delivered)
            {
                Outbox.Delivered(s, notification);
                anyDelivered = true;
            }
            else
            {
                var retried = Outbox.Failed(s, notification, outcome.Error ?? "failed", Options, now);
                LogDeliveryFailed(notification.Sink, notification.Id, $"{outcome.Error}; attempt {retried.Attempts}, next at {retried.NextAttemptAt:O}");
            }

            health.Add(SinkHealth.Record(s, notification.Sink, outcome, now));
            changed = true;
        }

        health.Add(SinkHealth.Outboxed(s, _droppedSeen, anyDelivered, now));
        _droppedSeen = s.Dropped;
        var raised = health.OfType<FleetSignal>().ToArray();
        if (changed || raised.Length > 0)
        {
            await state.WriteStateAsync();
        }

        var undone = false;
        foreach (var signal in raised)
        {
            try
            {
                // One-way back to this grain once recorded: it is evaluated after this call, like any signal.
                await GrainFactory.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).Signal(signal);
            }
            catch (Exception ex)
            {
                // Not lost: undone, so the sink's next outcome (or the outbox's next drop) raises it again.
                LogMonitorSignalFailed(signal.Kind.ToWire(), signal.Subject, ex);
                SinkHealth.Undo(s, signal);
                undone = true;
            }
        }

        if (undone)
        {
            await state.WriteStateAsync();
        }
    }

    private static System.Diagnostics.Activity? Deliver(string sink, string? notification, string? model) =>
        GrainActivity.Source.StartActivity("alert.deliver")?.SetTag("fleet.sink", sink).SetTag("fleet.notification", notification).SetTag("fleet.model", model);

    private AlertingStatus Status()
    {
        var s = state.State;
        var sinkNames = (_sinks.HasAlertmanager ? new[] { "alertmanager" } : []).Concat(_sinks.Webhooks).ToArray();
        return new AlertingStatus(s.Alerts.Values.Count(a => a.State == AlertState.Firing), s.Alerts.Values.Count(a => a.State == AlertState.Pending),
            s.Outbox.Count, s.Delivered, s.Failed, s.Dropped, sinkNames, s.LastEvaluatedAt);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Name} {State} for model {Model} version {Version} (silenced: {Silenced})")]
    private partial void LogAlert(string name, string state, string model, string? version, bool silenced);

    [LoggerMessage(Level = LogLevel.Error, Message = "Signal {Kind} ({Component}) could not be given to the coordinator; it is raised again on the sink's next outcome, and the failures are counted in fleet alerts status and fleet_alert_deliveries_total")]
    private partial void LogMonitorSignalFailed(string kind, string? component, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The alert settings of model {Model} could not be read; its last known ones (or the rules' own) apply")]
    private partial void LogSettingsUnreadable(string model, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert delivery to {Sink} failed ({What}): {Error}")]
    private partial void LogDeliveryFailed(string sink, string what, string? error);
}
