using Fleet.Abstractions.Coordination;
using Orleans.Concurrency;

namespace Fleet.Abstractions.Alerting;

/// <summary>
/// The cluster's one alerting grain (key <see cref="Key"/>): it turns the coordinator's signal stream into alerts
/// (rules, states, silences), delivers them to Alertmanager and webhooks through a persisted outbox, and keeps the
/// incidents. Everything it holds is persisted with the rest of the grain state.
/// </summary>
[Alias("fleet.IAlertingGrain")]
public interface IAlertingGrain : IGrainWithStringKey
{
    public const string Key = "alerting";

    /// <summary>A recorded signal, passed on by the coordinator. One-way: the coordinator never waits on delivery.</summary>
    [OneWay, Alias("Observe")]
    Task Observe(FleetSignal signal);

    /// <summary>Re-evaluates every alert at the current time (pending to firing, held ones resolving) and delivers what is due.</summary>
    [Alias("Tick")]
    Task<AlertingStatus> Tick();

    /// <summary>Every alert that is pending, firing or recently resolved, newest first; <paramref name="state"/> null for all.</summary>
    [Alias("GetAlerts")]
    Task<Alert[]> GetAlerts(AlertState? state);

    [Alias("GetStatus")]
    Task<AlertingStatus> GetStatus();

    [Alias("AddSilence")]
    Task<Silence> AddSilence(string[] matchers, TimeSpan duration, string comment, string actor);

    [Alias("ExpireSilence")]
    Task<Silence> ExpireSilence(string id, string actor);

    [Alias("GetSilences")]
    Task<Silence[]> GetSilences();

    /// <summary>Newest first; <paramref name="model"/> null for all.</summary>
    [Alias("GetIncidents")]
    Task<Incident[]> GetIncidents(string? model, IncidentState? state);

    [Alias("GetIncident")]
    Task<Incident?> GetIncident(string id);

    /// <summary>A person's action on an incident: <c>ack</c>, <c>note</c> or <c>resolve</c>, with their words.</summary>
    [Alias("ActOnIncident")]
    Task<Incident> ActOnIncident(string id, string action, string actor, string? text);
}

/// <summary>The outbox and its sinks, for <c>fleet alerts status</c> and the monitor's own health.</summary>
[GenerateSerializer, Immutable, Alias("fleet.AlertingStatus")]
public sealed record AlertingStatus(
    [property: Id(0)] int Firing,
    [property: Id(1)] int Pending,
    [property: Id(2)] int Queued,
    [property: Id(3)] long Delivered,
    [property: Id(4)] long Failed,
    [property: Id(5)] long Dropped,
    [property: Id(6)] string[] Sinks,
    [property: Id(7)] DateTimeOffset? LastEvaluatedAt);
