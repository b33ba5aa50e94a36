using Fleet.Abstractions.Hosts;

namespace Fleet.Server.Health;

/// <summary>
/// One check's state on one loaded version (pure): unknown until its first pass; failing after
/// <c>failureThreshold</c> consecutive failures; back to passing after <c>recoveryThreshold</c> consecutive passes.
/// A single failure or a single pass in between does not flip it, so one slow probe does not flap the host.
/// </summary>
internal readonly record struct ProbeCounter(ProbeVerdict Verdict, int ConsecutiveFailures, int ConsecutivePasses, string? Detail)
{
    public static ProbeCounter New => new(ProbeVerdict.Unknown, 0, 0, null);

    public ProbeCounter Next(bool passed, string detail, int failureThreshold, int recoveryThreshold)
    {
        if (passed)
        {
            var passes = ConsecutivePasses + 1;
            var verdict = Verdict switch
            {
                ProbeVerdict.Failing when passes < recoveryThreshold => ProbeVerdict.Failing,
                _ => ProbeVerdict.Passing,
            };
            return new ProbeCounter(verdict, 0, passes, verdict == ProbeVerdict.Failing ? Detail : null);
        }

        var failures = ConsecutiveFailures + 1;
        return new ProbeCounter(failures >= failureThreshold ? ProbeVerdict.Failing : Verdict, failures, 0, detail);
    }
}
