using Fleet.Abstractions.Monitoring;

namespace Fleet.Abstractions.Coordination;

/// <summary>
/// The names the vocabularies are stored, sent and written in (reasons, logs): the strings they were before they
/// became enums, the same as their codecs and JSON write.
/// </summary>
public static class DecisionWords
{
    public static string ToWire(this DecisionAction action) => action switch
    {
        DecisionAction.Rollback => "rollback",
        DecisionAction.Reload => "reload",
        DecisionAction.Skipped => "skipped",
        DecisionAction.Place => "place",
        DecisionAction.Failover => "failover",
        DecisionAction.Degraded => "degraded",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    public static string ToWire(this DecisionStatus status) => status switch
    {
        DecisionStatus.Pending => "pending",
        DecisionStatus.Done => "done",
        DecisionStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string ToWire(this RetrainStatus status) => status switch
    {
        RetrainStatus.Open => "open",
        RetrainStatus.Acked => "acked",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
