namespace Fleet.Abstractions.Alerting;

/// <summary>
/// One detector family of one model in the false-alarm budget: how often it looks per day, the level per look it was
/// configured with and the one it runs at (tightened by the budget where <see cref="Enforced"/>), the false alarms per
/// day that level allows at most (looks × level), and the alarms it actually raised in the last 24 h.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.BudgetLine")]
public sealed record BudgetLine(
    [property: Id(0)] string Model,
    [property: Id(1)] string Detector,
    [property: Id(2)] double LooksPerDay,
    [property: Id(3)] double ConfiguredLevel,
    [property: Id(4)] double Level,
    [property: Id(5)] double ExpectedPerDay,
    [property: Id(6)] bool Enforced,
    [property: Id(7)] string Note);

/// <summary>
/// The fleet's false-alarm budget (<c>fleet alerts budget</c>): the configured false alarms per day, the per-look level
/// the enforced detectors get (Bonferroni over every look of every detector of every model), the expected total (an upper
/// bound: the union bound holds however the looks overlap), the alarms observed in the last 24 h, and each line.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.BudgetReport")]
public sealed record BudgetReport(
    [property: Id(0)] double BudgetPerDay,
    [property: Id(1)] double PerLookLevel,
    [property: Id(2)] double ExpectedPerDay,
    [property: Id(3)] int ObservedLastDay,
    [property: Id(4)] bool WithinBudget,
    [property: Id(5)] string Method,
    [property: Id(6)] BudgetLine[] Lines,
    [property: Id(7)] Dictionary<string, int> ObservedByKind,
    [property: Id(8)] DateTimeOffset At);
