namespace Fleet.Server.Alerting;

/// <summary>One version's traffic since an incident's first evidence: requests, fallbacks served, errors by kind.</summary>
internal sealed record VersionImpact(string Version, TimeSpan Window, long Requests, long Fallbacks, IReadOnlyDictionary<string, long> Errors)
{
    public long ErrorCount => Errors.Values.Sum();
}
