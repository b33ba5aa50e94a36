namespace Fleet.Server.Health;

/// <summary>
/// <c>Fleet:FaultInjection:*</c>: lets <c>POST /api/v1/faults</c> break this host on purpose (tests and drills: a
/// swapped weight file on one host). Default off; never turn it on in production.
/// </summary>
public sealed class FaultInjectionOptions
{
    public const string SectionName = "Fleet:FaultInjection";

    public bool Enabled { get; set; }
}
