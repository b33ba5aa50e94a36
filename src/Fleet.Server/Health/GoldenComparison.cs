using Fleet.Inference.Tensors;
using Fleet.Abstractions.Models;

namespace Fleet.Server.Health;

/// <summary>
/// Compares what a version answered with what its golden set expects (pure). Float elements pass when
/// |actual − expected| ≤ tolerance + relative × |expected| (NaN never passes); every other type must be equal.
/// The result is null when everything matches, else one line naming the output, how many elements differ and the first.
/// </summary>
internal static class GoldenComparison
{
    public static string? Compare(IReadOnlyList<GoldenTensor> expected, IReadOnlyList<Tensor> actual, double tolerance, double relativeTolerance)
    {
        foreach (var want in expected)
        {
            var got = actual.FirstOrDefault(t => t.Name == want.Name);
            if (got is null)
            {
                return $"output '{want.Name}': missing from the answer";
            }

            var gotType = got.Type.ToProtocolName();
            if (gotType != want.Datatype)
            {
                return $"output '{want.Name}': datatype {gotType}, expected {want.Datatype}";
            }

            if (!got.Shape.SequenceEqual(want.Shape))
            {
                return $"output '{want.Name}': shape {Shape(got.Shape)}, expected {Shape(want.Shape)}";
            }

            var actualValues = GoldenTensors.From(got);
            var (count, first) = want.Floats is { } floats
                ? CompareFloats(floats, actualValues.Floats!, tolerance, relativeTolerance, want.Datatype == "FP32")
                : CompareIntegers(want.Integers!, actualValues.Integers!);
            if (count > 0)
            {
                var allowed = want.Floats is null ? "exact" : relativeTolerance > 0
                    ? $"tolerance {GoldenTensors.Format(tolerance)} + {GoldenTensors.Format(relativeTolerance)} × |expected|"
                    : $"tolerance {GoldenTensors.Format(tolerance)}";
                var (index, got1, want1) = first;
                return $"output '{want.Name}': {count} of {want.Length} values differ; first [{index}] = {got1}, expected {want1} ({allowed})";
            }
        }

        return null;
    }

    private static (int Count, (int Index, string Actual, string Expected) First) CompareFloats(double[] expected, double[] actual, double tolerance, double relative, bool float32)
    {
        var count = 0;
        (int, string, string) first = default;
        for (var i = 0; i < expected.Length; i++)
        {
            var e = expected[i];
            var a = actual[i];
            // Both NaN counts as a match only when the golden itself says NaN (a user's golden file may).
            var ok = double.IsNaN(e) ? double.IsNaN(a) : Math.Abs(a - e) <= tolerance + (relative * Math.Abs(e));
            if (!ok && count++ == 0)
            {
                first = float32 ? (i, GoldenTensors.Format((float)a), GoldenTensors.Format((float)e)) : (i, GoldenTensors.Format(a), GoldenTensors.Format(e));
            }
        }

        return (count, first);
    }

    private static (int Count, (int Index, string Actual, string Expected) First) CompareIntegers(long[] expected, long[] actual)
    {
        var count = 0;
        (int, string, string) first = default;
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i] && count++ == 0)
            {
                first = (i, actual[i].ToString(System.Globalization.CultureInfo.InvariantCulture), expected[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return (count, first);
    }

    private static string Shape(long[] shape) => "[" + string.Join(",", shape) + "]";
}
