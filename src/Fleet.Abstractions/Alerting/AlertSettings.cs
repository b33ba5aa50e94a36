namespace Fleet.Abstractions.Alerting;

/// <summary>
/// A model's overrides of the built-in rules (<c>fleet config set MODEL alert.for=10s alert.keep_firing_for=1m</c>);
/// null: the rule's own (0 s for both).
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.AlertSettings")]
public sealed record AlertSettings(
    [property: Id(0)] TimeSpan? For,
    [property: Id(1)] TimeSpan? KeepFiringFor)
{
    public static AlertSettings Default { get; } = new(null, null);
}
