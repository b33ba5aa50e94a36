using Fleet.Abstractions.Hosts;
using Orleans.Concurrency;

namespace Fleet.Abstractions.Coordination;

/// <summary>
/// The cluster's one coordinator (key <see cref="Key"/>). It receives typed signals from the detectors and every
/// host's probe reports, decides by a policy (roll a model back to its last-known-good and quarantine the bad
/// version; have one host reload a version), with a cool-down, a cap per window and pins respected, and keeps every
/// decision with its evidence (persisted: pending before acting, done after, so a restart finishes it once).
/// </summary>
[Alias("fleet.ICoordinatorGrain")]
public interface ICoordinatorGrain : IGrainWithStringKey
{
    public const string Key = "coordinator";

    [Alias("Signal")]
    Task Signal(FleetSignal signal);

    /// <summary>Newest first; <paramref name="model"/> null for all models.</summary>
    [Alias("GetSignals")]
    Task<FleetSignal[]> GetSignals(string? model, int limit);

    /// <summary>A host's latest report, passed on by its host grain. One-way: the host grain never waits on the coordinator, which may be calling it.</summary>
    [OneWay, Alias("ReportHost")]
    Task ReportHost(HostReport report);

    /// <summary>Every host the coordinator has heard from and not yet forgotten (persisted), for listings and placement.</summary>
    [Alias("GetHostIds")]
    Task<string[]> GetHostIds();

    /// <summary>Newest first; <paramref name="model"/> null for all models.</summary>
    [Alias("GetDecisions")]
    Task<Decision[]> GetDecisions(string? model, int limit);

    /// <summary>Evaluates the policy now (it also runs on every host report and signal); returns the decisions it recorded.</summary>
    [Alias("Evaluate")]
    Task<Decision[]> Evaluate();

    /// <summary>The false-alarm budget as last planned (every serving read), or planned now if none yet.</summary>
    [Alias("GetAlarmBudget")]
    Task<Fleet.Abstractions.Alerting.BudgetReport> GetAlarmBudget();

    /// <summary>
    /// Fault injection (drills; refused unless <c>Fleet:FaultInjection:Enabled</c> on the coordinator's silo): the next
    /// decision that is persisted as pending kills the coordinator's silo process before it is applied. Returns that silo's name.
    /// </summary>
    [Alias("ArmCrash")]
    Task<string> ArmCrash();
}
