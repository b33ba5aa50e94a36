using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Models;

namespace Fleet.Grains.Coordination;

/// <summary>What the safety rules make of a proposal: go ahead, drop it silently (cooling down), or record it as skipped.</summary>
public enum GateOutcome
{
    Proceed = 0,
    Suppress = 1,
    Skip = 2,
}

/// <summary>
/// The coordinator's safety rules (pure), applied to every proposal of <see cref="DecisionPolicy"/>:
/// <list type="bullet">
/// <item>cool-down: no second decision of the same action on the same model (and host) within <see cref="CoordinatorOptions.CoolDown"/>
/// (suppressed silently; a <c>skipped</c> record is also repeated at most once per cool-down);</item>
/// <item>pin: a pinned model is never rolled back (recorded as <c>skipped</c>, saying who pinned it and why);</item>
/// <item>cap: at most <see cref="CoordinatorOptions.MaxActionsPerWindow"/> decisions of one action per
/// <see cref="CoordinatorOptions.ActionWindow"/>, cluster-wide, so a bad push cannot start a rollback storm (<c>skipped</c>).</item>
/// </list>
/// Rollback never targets a quarantined version: the last-known-good excludes them, and the registry refuses it again.
/// </summary>
public static class DecisionSafety
{
    public static (GateOutcome Outcome, string? Reason) Check(ProposedDecision proposal, IReadOnlyList<Decision> history, ModelPin? pin,
        CoordinatorOptions options, DateTimeOffset now)
    {
        if (proposal.Action == DecisionAction.Skipped)
        {
            return CoolingDown(history, proposal.Model, DecisionAction.Skipped, proposal.IntendedAction, null, options, now) is { } skippedRecently
                ? (GateOutcome.Suppress, skippedRecently)
                : (GateOutcome.Skip, proposal.Reason);
        }

        if (CoolingDown(proposal, history, options, now) is { } coolingDown)
        {
            return (GateOutcome.Suppress, coolingDown);
        }

        string? skip = null;
        if (pin is not null && proposal.Action == DecisionAction.Rollback)
        {
            skip = $"model is pinned to version {pin.Version} by {pin.Actor}{(pin.Reason.Length > 0 ? $" ({pin.Reason})" : string.Empty)}, " +
                $"so automation leaves it alone; would have rolled back: {proposal.Reason}";
        }
        else
        {
            var since = now - options.ActionWindow;
            var recent = history.Count(d => d.Action == proposal.Action && d.Time > since);
            if (recent >= options.MaxActionsPerWindow)
            {
                skip = $"cap reached: {recent} {proposal.Action.ToWire()} decisions in the last {options.ActionWindow.TotalMinutes:0.#} min " +
                    $"(Fleet:Coordinator:MaxActionsPerWindow = {options.MaxActionsPerWindow}); would have: {proposal.Reason}";
            }
        }

        if (skip is null)
        {
            return (GateOutcome.Proceed, null);
        }

        return CoolingDown(history, proposal.Model, DecisionAction.Skipped, proposal.Action, null, options, now) is { } alreadySkipped
            ? (GateOutcome.Suppress, alreadySkipped)
            : (GateOutcome.Skip, skip);
    }

    /// <summary>Why <paramref name="proposal"/> is within the cool-down of the same action on its model (and host), or null.</summary>
    public static string? CoolingDown(ProposedDecision proposal, IReadOnlyList<Decision> history, CoordinatorOptions options, DateTimeOffset now) =>
        CoolingDown(history, proposal.Model, proposal.Action, null, proposal.Host, options, now);

    private static string? CoolingDown(IReadOnlyList<Decision> history, string model, DecisionAction action, DecisionAction? intended, string? host,
        CoordinatorOptions options, DateTimeOffset now)
    {
        var since = now - options.CoolDown;
        var last = history.LastOrDefault(d => d.Model == model && d.Action == action && d.Time > since
            && (intended is null || d.IntendedAction == intended) && (host is null || d.Host == host));
        return last is null ? null : $"cooling down: decision {last.Id} ({last.Action.ToWire()}) at {last.Time:O}, cool-down {options.CoolDown.TotalMinutes:0.#} min";
    }
}
