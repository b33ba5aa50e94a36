namespace Fleet.Monitoring.Multivariate;

/// <summary>
/// NannyML's data-reconstruction defaults: keep the principal components that explain
/// <see cref="VarianceRetained"/> of the standardised reference variance, split the reference into
/// <see cref="Chunks"/> chunks and alert outside mean ± <see cref="Sigmas"/> standard deviations of their
/// errors. Fewer than <see cref="MinSamples"/> rows give <see cref="MonitorVerdict.InsufficientData"/>.
/// </summary>
public sealed record ReconstructionSettings
{
    public double VarianceRetained { get; init; } = 0.65;

    public int Chunks { get; init; } = 10;

    public double Sigmas { get; init; } = 3;

    public int MinSamples { get; init; } = 100;
}
