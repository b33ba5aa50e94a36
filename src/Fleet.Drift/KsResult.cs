namespace Fleet.Drift;

/// <summary>
/// A two-sided two-sample Kolmogorov-Smirnov result: <see cref="Statistic"/> is sup |F_a - F_b| over the
/// two empirical CDFs, <see cref="PValue"/> as SciPy's <c>ks_2samp(a, b)</c> (method 'auto') computes it.
/// </summary>
public readonly record struct KsResult(double Statistic, double PValue);
