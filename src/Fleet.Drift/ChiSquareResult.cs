namespace Fleet.Drift;

/// <summary>
/// A chi-square test of homogeneity: Pearson's statistic, its p-value and the degrees of freedom (the
/// number of categories seen on either side, minus one).
/// </summary>
public readonly record struct ChiSquareResult(double Statistic, double PValue, int DegreesOfFreedom);
