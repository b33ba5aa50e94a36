namespace Fleet.Monitoring.Quality;

/// <summary>Mean absolute error and root mean squared error over <see cref="Count"/> samples (NaN when empty).</summary>
[GenerateSerializer, Immutable, Alias("fleet.RegressionQuality")]
public sealed record RegressionQuality(
    [property: Id(0)] int Count,
    [property: Id(1)] double Mae,
    [property: Id(2)] double Rmse);
