using Fleet.Abstractions.Coordination;

namespace Fleet.Grains.Coordination;

/// <summary>
/// Fault injection in the coordinator (drills), one seam: the server registers <see cref="CoordinatorCrashDrill"/>
/// only when <c>Fleet:FaultInjection:Enabled</c>; without it the coordinator uses <see cref="NoCoordinatorFaults"/>,
/// which refuses to arm and does nothing.
/// </summary>
public interface ICoordinatorFaults
{
    /// <summary>Arms the drill for the next decision persisted as pending; false when fault injection is off here.</summary>
    bool TryArm();

    /// <summary>Called once a decision is persisted, before it is applied.</summary>
    void Persisted(Decision decision);
}

/// <summary>No fault injection: nothing to arm, nothing happens.</summary>
internal sealed class NoCoordinatorFaults : ICoordinatorFaults
{
    public static readonly NoCoordinatorFaults Instance = new();

    public bool TryArm() => false;

    public void Persisted(Decision decision)
    {
    }
}
