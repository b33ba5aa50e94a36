namespace Fleet.Monitoring.Quality;

/// <summary>Mean absolute error and root mean squared error over <see cref="Count"/> samples (NaN when empty).</summary>
public sealed record RegressionQuality(
    int Count,
    double Mae,
    double Rmse);
