using Fleet.Abstractions.Contracts;
using Fleet.Abstractions.Models;
using Fleet.Monitoring.Quality;

namespace Fleet.Grains.Registry;

/// <summary>
/// The registry's lifecycle rules as pure functions over <see cref="ModelState"/>, so they are testable
/// without a silo. Each either applies a whole change (with its audit entry) or throws, changing nothing
/// the caller keeps (the grain applies them to a copy).
/// </summary>
public static class ModelLifecycle
{
    public const int MaxAuditEntries = 10_000;

    public static ModelVersionInfo AddVersion(ModelState state, NewVersion request, DateTimeOffset now)
    {
        var id = request.Version;
        if (string.IsNullOrEmpty(id))
        {
            id = NextVersionId(state);
        }

        ModelNames.ValidateVersion(id);
        if (state.Versions.Any(v => v.Version == id))
        {
            throw new RegistryException(RegistryErrorKind.Conflict, $"version: model '{Name(state)}' already has a version '{id}'");
        }

        var info = new ModelVersionInfo(id, VersionState.Staged, request.Sha256, request.SizeBytes, now,
            request.CreatedBy, request.Note, request.Inputs, request.Outputs);
        state.Versions.Add(info);
        state.Contracts[id] = request.Contract;
        if (request.Golden is not null)
        {
            state.Goldens[id] = request.Golden;
        }

        if (request.Evaluation is not null)
        {
            state.Evaluations[id] = request.Evaluation;
        }
        Append(state, new AuditEntry(now, "add-version", null, id, $"sha256 {request.Sha256}; {request.Note}".TrimEnd(' ', ';'), request.CreatedBy));
        return info;
    }

    /// <summary>
    /// Makes <paramref name="version"/> live once the promotion gate (<see cref="PromotionGate"/>) finds no reason to
    /// refuse it; <paramref name="force"/> overrides a refusal but needs a reason, and the audit keeps what was overridden.
    /// </summary>
    public static LifecycleChange Promote(ModelState state, string version, string reason, string actor, DateTimeOffset now, bool force = false)
    {
        var target = Find(state, version);
        var previous = state.LiveVersion;
        if (target.State == VersionState.Live)
        {
            return new LifecycleChange(Name(state), version, previous);
        }

        if (target.State == VersionState.Quarantined)
        {
            throw new RegistryException(RegistryErrorKind.Conflict, $"version: '{version}' of model '{Name(state)}' is quarantined and cannot go live");
        }

        EnsureNotPinned(state, "promote");
        var check = CheckPromotion(state, version);
        var audit = reason;
        if (check.Refused)
        {
            var why = string.Join("; ", check.Refusals);
            if (!force)
            {
                throw new RegistryException(RegistryErrorKind.Conflict,
                    $"promotion refused: version '{version}' of model '{Name(state)}' is {why}; promote with force and a reason to override");
            }

            if (string.IsNullOrWhiteSpace(reason))
            {
                throw new RegistryException(RegistryErrorKind.Invalid, $"reason: forcing a refused promotion needs a reason (the gate found: {why})");
            }

            audit = $"{reason} (forced past the promotion gate: {why})";
        }

        MakeLive(state, version, previous, VersionState.Retired);
        Append(state, new AuditEntry(now, check.Refused ? "promote+forced" : "promote", previous, version, audit, actor));
        return new LifecycleChange(Name(state), version, previous) { Evidence = check.Evidence };
    }

    /// <summary>The promotion gate over the version's evaluation, the live version now and the model's floors.</summary>
    public static PromotionCheck CheckPromotion(ModelState state, string version)
    {
        Find(state, version);
        var settings = (state.Config ?? ModelConfig.Default).MonitoringOrDefault;
        return PromotionGate.Check(version, state.Evaluations.GetValueOrDefault(version), state.LiveVersion, settings.QualityFloor, settings.QualityMaxMae,
            settings.QualityTolerance, settings.QualityMinLabels);
    }

    public static LifecycleChange Rollback(ModelState state, string? to, bool quarantineCurrent, string reason, string actor, DateTimeOffset now)
    {
        EnsureNotPinned(state, "roll back");
        var current = state.LiveVersion;
        string target;
        if (to is not null)
        {
            var version = state.Versions.FirstOrDefault(v => v.Version == to)
                ?? throw new RegistryException(RegistryErrorKind.NotFound, $"to: model '{Name(state)}' has no version '{to}'");
            if (version.State == VersionState.Quarantined)
            {
                throw new RegistryException(RegistryErrorKind.Conflict, $"to: version '{to}' of model '{Name(state)}' is quarantined; rollback never goes to a quarantined version");
            }

            target = to;
        }
        else
        {
            target = LastKnownGood(state)
                ?? throw new RegistryException(RegistryErrorKind.Conflict,
                    $"model '{Name(state)}' has no last-known-good version (no earlier live version that is not quarantined and has a golden set)");
        }

        if (target == current)
        {
            throw new RegistryException(RegistryErrorKind.Conflict, $"to: version '{target}' of model '{Name(state)}' is already live");
        }

        MakeLive(state, target, current, quarantineCurrent ? VersionState.Quarantined : VersionState.Retired);
        Append(state, new AuditEntry(now, quarantineCurrent ? "rollback+quarantine" : "rollback", current, target, reason, actor));
        return new LifecycleChange(Name(state), target, current);
    }

    public static ModelVersionInfo Retire(ModelState state, string version, string reason, string actor, DateTimeOffset now)
    {
        var info = Find(state, version);
        if (info.State == VersionState.Quarantined)
        {
            throw new RegistryException(RegistryErrorKind.Conflict, $"version: '{version}' of model '{Name(state)}' is quarantined; it stays quarantined");
        }

        if (info.State == VersionState.Retired)
        {
            return info;
        }

        if (state.LiveVersion == version)
        {
            EnsureNotPinned(state, "retire the live version of");
            state.LiveVersion = null;
        }

        // Every state change is a routing change: silos drop sessions they hold for versions no longer servable.
        state.Revision++;
        var retired = SetState(state, version, VersionState.Retired);
        Append(state, new AuditEntry(now, "retire", info.State.ToString().ToLowerInvariant(), version, reason, actor));
        return retired;
    }

    public static ModelVersionInfo Quarantine(ModelState state, string version, string reason, string actor, DateTimeOffset now)
    {
        var info = Find(state, version);
        if (info.State == VersionState.Quarantined)
        {
            return info;
        }

        if (state.LiveVersion == version)
        {
            throw new RegistryException(RegistryErrorKind.Conflict,
                $"version: '{version}' of model '{Name(state)}' is live; roll back with quarantine instead (fleet rollback {Name(state)} --quarantine)");
        }

        state.Revision++;
        var quarantined = SetState(state, version, VersionState.Quarantined);
        Append(state, new AuditEntry(now, "quarantine", info.State.ToString().ToLowerInvariant(), version, reason, actor));
        return quarantined;
    }

    /// <summary>
    /// Keeps <paramref name="set"/> as the golden set of <paramref name="version"/> unless it has one (the first host to
    /// record one from live requests wins); returns the set the version has now.
    /// </summary>
    public static GoldenSet RecordGolden(ModelState state, string version, GoldenSet set, string actor, DateTimeOffset now)
    {
        Find(state, version);
        if (state.Goldens.TryGetValue(version, out var existing))
        {
            return existing;
        }

        state.Revision++; // the version may now be the last-known-good: the route changes
        state.Goldens[version] = set;
        Append(state, new AuditEntry(now, "golden", null, version, $"golden set recorded: {set.Source} ({set.Rows} rows)", actor));
        return set;
    }

    /// <summary>
    /// The newest earlier live version that still exists, is not the current one, is not quarantined and has a golden
    /// set (golden sets are kept only when the version ran them: a version that never passed a probe is no fallback).
    /// </summary>
    public static string? LastKnownGood(ModelState state)
    {
        for (var i = state.LiveHistory.Count - 1; i >= 0; i--)
        {
            var candidate = state.LiveHistory[i];
            if (candidate == state.LiveVersion)
            {
                continue;
            }

            var version = state.Versions.FirstOrDefault(v => v.Version == candidate);
            if (version is not null && version.State != VersionState.Quarantined && state.Goldens.ContainsKey(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static VersionContract SetContract(ModelState state, string version, VersionContract contract, string actor, DateTimeOffset now)
    {
        Find(state, version);
        state.Contracts[version] = contract;
        state.Revision++;
        Append(state, new AuditEntry(now, "set-contract", null, version, contract.Input?.Source ?? contract.Output.Source, actor));
        return contract;
    }

    public static ModelConfig SetConfig(ModelState state, ModelConfig config, string actor, DateTimeOffset now)
    {
        state.Config = config;
        state.Revision++;
        Append(state, new AuditEntry(now, "set-config", null, null,
            $"input_contract={config.InputContract}, input_missing={config.InputMissing}, outlier_threshold={config.OutlierThreshold}, fallback={string.Join(",", config.Fallback)}", actor));
        return config;
    }

    /// <summary>The coordinator's placement; the audit says which hosts and why.</summary>
    public static int SetReplicas(ModelState state, Fleet.Abstractions.Routing.ReplicaEndpoint[]? replicas, string reason, string actor, DateTimeOffset now)
    {
        state.Replicas = replicas;
        state.Revision++;
        var hosts = Fleet.Abstractions.Routing.ReplicaEndpoint.Describe(replicas);
        Append(state, new AuditEntry(now, "place", null, null, $"replicas: {hosts} ({reason})", actor));
        return replicas?.Length ?? 0;
    }

    /// <summary>Same hosts at the same URLs (order does not matter).</summary>
    public static bool SamePlacement(Fleet.Abstractions.Routing.ReplicaEndpoint[]? a, Fleet.Abstractions.Routing.ReplicaEndpoint[]? b) =>
        a is null || b is null ? a is null && b is null : a.Length == b.Length && a.All(b.Contains);

    /// <summary>Pins the live version (the only one a pin can hold). Pinning the pinned version again updates the reason.</summary>
    public static ModelPin Pin(ModelState state, string version, string reason, string actor, DateTimeOffset now)
    {
        var info = Find(state, version);
        if (state.LiveVersion != version)
        {
            throw new RegistryException(RegistryErrorKind.Conflict,
                $"version: '{version}' of model '{Name(state)}' is {info.State.ToString().ToLowerInvariant()}, not live; a pin holds the live version (promote it first)");
        }

        if (state.Pin is { } existing && existing.Version != version)
        {
            throw new RegistryException(RegistryErrorKind.Conflict, $"model '{Name(state)}' is already pinned to version '{existing.Version}'");
        }

        var pin = new ModelPin(version, reason, actor, now);
        state.Pin = pin;
        Append(state, new AuditEntry(now, "pin", null, version, reason, actor));
        return pin;
    }

    /// <summary>Removes the pin; null (and no audit entry) when there was none.</summary>
    public static ModelPin? Unpin(ModelState state, string reason, string actor, DateTimeOffset now)
    {
        var pin = state.Pin;
        if (pin is null)
        {
            return null;
        }

        state.Pin = null;
        Append(state, new AuditEntry(now, "unpin", pin.Version, null, reason, actor));
        return pin;
    }

    public static ModelVersionInfo Find(ModelState state, string version) =>
        state.Versions.FirstOrDefault(v => v.Version == version)
        ?? throw new RegistryException(RegistryErrorKind.NotFound, $"version: model '{Name(state)}' has no version '{version}'");

    private static void EnsureNotPinned(ModelState state, string action)
    {
        if (state.Pin is { } pin)
        {
            throw new RegistryException(RegistryErrorKind.Conflict,
                $"model '{Name(state)}' is pinned to version '{pin.Version}' by {pin.Actor}{(pin.Reason.Length > 0 ? $" ({pin.Reason})" : string.Empty)}; unpin it before you {action} it (fleet unpin {Name(state)})");
        }
    }

    private static void MakeLive(ModelState state, string version, string? previous, VersionState previousBecomes)
    {
        if (previous is not null)
        {
            SetState(state, previous, previousBecomes);
        }

        SetState(state, version, VersionState.Live);
        state.LiveVersion = version;
        state.LiveHistory.Add(version);
        state.Revision++;
    }

    private static ModelVersionInfo SetState(ModelState state, string version, VersionState newState)
    {
        var index = state.Versions.FindIndex(v => v.Version == version);
        var updated = state.Versions[index] with { State = newState };
        state.Versions[index] = updated;
        return updated;
    }

    private static string NextVersionId(ModelState state)
    {
        var max = 0L;
        foreach (var v in state.Versions)
        {
            if (long.TryParse(v.Version, out var n) && n > max)
            {
                max = n;
            }
        }

        return (max + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Append(ModelState state, AuditEntry entry)
    {
        state.Audit.Add(entry);
        if (state.Audit.Count > MaxAuditEntries)
        {
            state.Audit.RemoveRange(0, state.Audit.Count - MaxAuditEntries);
        }
    }

    private static string Name(ModelState state) => state.Definition?.Name ?? "?";
}
