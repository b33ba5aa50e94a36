using Fleet.Abstractions.Coordination;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fleet.Grains.Coordination;

/// <summary>
/// The crash drill (<see cref="ICoordinatorGrain.ArmCrash"/>): once armed, the silo dies like a SIGKILL right after a
/// decision was persisted as pending, before it is applied, so the next coordinator must complete it. Registered
/// only when fault injection is enabled, scoped: one per coordinator activation (Orleans gives each activation a
/// service scope), so arming lasts as long as the activation it was armed on, as before the seam.
/// </summary>
public sealed partial class CoordinatorCrashDrill(IOptions<CoordinatorOptions> options, ILocalSiloDetails silo, ILogger<CoordinatorCrashDrill> logger)
    : ICoordinatorFaults
{
    private bool _armed;

    public bool TryArm()
    {
        if (!options.Value.FaultInjection)
        {
            return false;
        }

        _armed = true;
        LogCrashArmed(silo.Name);
        return true;
    }

    public void Persisted(Decision decision)
    {
        if (_armed && decision.Status == DecisionStatus.Pending)
        {
            LogCrashing(silo.Name, decision.Id, decision.Action.ToWire(), decision.Model);
            System.Diagnostics.Process.GetCurrentProcess().Kill();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fault injection: the coordinator on silo {Silo} will kill its process after the next pending decision")]
    private partial void LogCrashArmed(string silo);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Fault injection: killing silo {Silo} with decision {Id} ({Action} of {Model}) pending")]
    private partial void LogCrashing(string silo, string id, string action, string model);
}
