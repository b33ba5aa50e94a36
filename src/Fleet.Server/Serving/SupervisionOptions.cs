namespace Fleet.Server.Serving;

/// <summary>Settings under <c>Fleet:Supervision</c>.</summary>
public sealed class SupervisionOptions
{
    public const string SectionName = "Fleet:Supervision";

    /// <summary>
    /// True (default): contracts, fallback chain and live statistics on every request. False serves raw
    /// model answers: only for measuring what supervision costs (docs/performance.md), never in production.
    /// </summary>
    public bool Enabled { get; set; } = true;
}
