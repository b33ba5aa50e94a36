using System.Diagnostics;

namespace Fleet.Grains;

/// <summary>
/// Spans of the control plane, on the same ActivitySource as the server's request spans ("Fleet"): a decision applied
/// (<c>decision ACTION</c>), an alert delivery attempt (<c>alert.deliver</c>), a detector run (<c>drift.run</c>).
/// Exported with the rest when the server has an OTLP endpoint; nothing is created when nobody listens.
/// </summary>
internal static class GrainActivity
{
    public const string Name = "Fleet";

    public static readonly ActivitySource Source = new(Name);
}
