using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Drift.Tests.Scipy;

/// <summary>Data/expected.json: fixed inputs and SciPy 1.10.1's results for them (Data/generate_expected.py).</summary>
internal sealed record Expected(
    IReadOnlyList<SampleCase> Samples,
    IReadOnlyList<ExactPoint> KsExactGrid,
    IReadOnlyList<KolmogorovPoint> KstwoGrid,
    IReadOnlyList<CategoricalCase> Categorical,
    IReadOnlyList<JensenShannonCase> JensenShannon,
    IReadOnlyList<MultipleTestingCase> MultipleTesting)
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static readonly Lazy<Expected> s_loaded = new(() =>
        JsonSerializer.Deserialize<Expected>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "expected.json")), s_options)
        ?? throw new InvalidOperationException("Data/expected.json is empty"));

    public static Expected Load() => s_loaded.Value;
}

internal sealed record SampleCase(
    string Name,
    string Method,
    double[] A,
    double[] B,
    double KsStatistic,
    double KsPvalue,
    double Wasserstein,
    double NormalisedWasserstein,
    double Psi)
{
    public override string ToString() => Name;
}

internal sealed record ExactPoint(int N1, int N2, long MaxCross, double Statistic, double Pvalue, string Method)
{
    public override string ToString() => $"{N1} vs {N2}, cross {MaxCross}";
}

internal sealed record KolmogorovPoint(int N, double X, double Sf)
{
    public override string ToString() => $"n={N}, x={X:R}";
}

internal sealed record CategoricalCase(
    string Name,
    long[] Reference,
    long[] Current,
    double Chi2Statistic,
    double Chi2Pvalue,
    int Chi2Dof,
    double JensenShannon,
    double Psi)
{
    public override string ToString() => Name;
}

internal sealed record JensenShannonCase(double[] P, double[] Q, double Distance);

internal sealed record MultipleTestingCase(double[] P, double[] Bonferroni, double[] BenjaminiHochberg);
