using System.Text.Json;

namespace Fleet.Monitoring.Tests;

/// <summary>
/// scikit-learn's answers and their inputs, from Data/expected.json (written by Data/generate_expected.py
/// with numpy 1.24, scipy 1.10 and scikit-learn 1.2.1; committed because CI has no Python).
/// </summary>
internal static class ExpectedData
{
    private static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "expected.json"))).RootElement);

    public static JsonElement Get(string name) => Root.Value.GetProperty(name);

    public static double[] Doubles(this JsonElement element) =>
        element.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble()).ToArray();

    public static int[] Ints(this JsonElement element) => element.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public static bool[] Bools(this JsonElement element) => element.EnumerateArray().Select(e => e.GetBoolean()).ToArray();

    public static double[][] Rows(this JsonElement element) => element.EnumerateArray().Select(Doubles).ToArray();

    public static double Number(this JsonElement element, string name) => element.GetProperty(name).GetDouble();
}
