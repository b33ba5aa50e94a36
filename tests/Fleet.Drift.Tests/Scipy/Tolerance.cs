namespace Fleet.Drift.Tests.Scipy;

/// <summary>
/// How close Fleet.Drift must come to SciPy (src/Fleet.Drift/README.md, "Agreement with SciPy"):
/// statistics and effect sizes to 1e-12 relative (1e-15 absolute near zero); p-values to 1e-9 relative or
/// 1e-15 absolute, whichever is looser.
/// </summary>
internal static class Tolerance
{
    public const double StatisticRelative = 1e-12;
    public const double StatisticAbsolute = 1e-15;
    public const double PValueRelative = 1e-9;
    public const double PValueAbsolute = 1e-15;

    public static void Statistic(double expected, double actual, string what) =>
        Close(expected, actual, StatisticRelative, StatisticAbsolute, what);

    public static void PValue(double expected, double actual, string what) =>
        Close(expected, actual, PValueRelative, PValueAbsolute, what);

    private static void Close(double expected, double actual, double relative, double absolute, string what)
    {
        if (expected == actual)
            return;
        var difference = Math.Abs(expected - actual);
        Assert.True(
            difference <= absolute || difference <= relative * Math.Abs(expected),
            $"{what}: expected {expected:R}, got {actual:R} (difference {difference:G3}, relative {difference / Math.Abs(expected):G3})");
    }
}
