using Fleet.Inference.Tensors;
using Fleet.Abstractions.Models;
using Fleet.Server.Health;

namespace Fleet.Tests.Unit;

[Trait(Speed.Trait, Speed.Unit)]
public sealed class GoldenComparisonTests
{
    private static readonly GoldenTensor Probabilities = new("p", "FP32", [2, 2], [0.25, 0.75, 0.5, 0.5], null);
    private static readonly GoldenTensor Labels = new("label", "INT64", [2], null, [1, 0]);

    private static Tensor Floats(params float[] values) => new("p", TensorDataType.Fp32, [2, 2], values);

    private static Tensor Longs(params long[] values) => new("label", TensorDataType.Int64, [2], values);

    [Fact]
    public void Values_within_tolerance_match()
    {
        Assert.Null(GoldenComparison.Compare([Probabilities, Labels], [Floats(0.2501f, 0.7499f, 0.5f, 0.5f), Longs(1, 0)], 1e-3, 0));
    }

    [Fact]
    public void The_first_difference_and_the_count_are_named()
    {
        var mismatch = GoldenComparison.Compare([Probabilities], [Floats(0.25f, 0.5f, 0.75f, 0.5f)], 1e-4, 0);

        Assert.Equal("output 'p': 2 of 4 values differ; first [1] = 0.5, expected 0.75 (tolerance 0.0001)", mismatch);
    }

    [Fact]
    public void Relative_tolerance_scales_with_the_expected_value()
    {
        GoldenTensor big = new("p", "FP64", [1], [1000.0], null);

        Assert.Null(GoldenComparison.Compare([big], [new Tensor("p", TensorDataType.Fp64, [1], new[] { 1000.9 })], 0, 1e-3));
        Assert.Equal("output 'p': 1 of 1 values differ; first [0] = 1001.1, expected 1000 (tolerance 0 + 0.001 × |expected|)",
            GoldenComparison.Compare([big], [new Tensor("p", TensorDataType.Fp64, [1], new[] { 1001.1 })], 0, 1e-3));
    }

    [Fact]
    public void NaN_never_matches_a_number()
    {
        Assert.Equal("output 'p': 1 of 4 values differ; first [2] = NaN, expected 0.5 (tolerance 1)",
            GoldenComparison.Compare([Probabilities], [Floats(0.25f, 0.75f, float.NaN, 0.5f)], 1, 0));
    }

    [Fact]
    public void Integers_must_be_equal()
    {
        Assert.Equal("output 'label': 1 of 2 values differ; first [1] = 1, expected 0 (exact)", GoldenComparison.Compare([Labels], [Longs(1, 1)], 1, 1));
    }

    [Fact]
    public void Shape_type_and_missing_outputs_are_reported()
    {
        Assert.Equal("output 'label': missing from the answer", GoldenComparison.Compare([Labels], [Floats(0, 0, 0, 0)], 0, 0));
        Assert.Equal("output 'p': shape [4], expected [2,2]", GoldenComparison.Compare([Probabilities], [new Tensor("p", TensorDataType.Fp32, [4], new float[4])], 0, 0));
        Assert.Equal("output 'p': datatype FP64, expected FP32", GoldenComparison.Compare([Probabilities], [new Tensor("p", TensorDataType.Fp64, [2, 2], new double[4])], 0, 0));
    }

    [Fact]
    public void Tensors_round_trip_through_golden_tensors_exactly()
    {
        var tensors = new[]
        {
            new Tensor("b", TensorDataType.Bool, [2], new[] { true, false }),
            new Tensor("u", TensorDataType.UInt64, [1], new[] { ulong.MaxValue }),
            new Tensor("f", TensorDataType.Fp32, [1], new[] { 0.1f }),
        };

        foreach (var tensor in tensors)
        {
            var back = GoldenTensors.ToTensor(GoldenTensors.From(tensor));
            Assert.Equal(tensor.Type, back.Type);
            Assert.Equal(tensor.Shape, back.Shape);
            Assert.Equal(tensor.Data, back.Data);
        }

        Assert.Equal("""{"name":"u","datatype":"UINT64","shape":[1],"data":[18446744073709551615]}""", GoldenTensors.ToJson(GoldenTensors.From(tensors[1])).ToJsonString());
        Assert.Equal("""{"name":"f","datatype":"FP32","shape":[1],"data":[0.1]}""", GoldenTensors.ToJson(GoldenTensors.From(tensors[2])).ToJsonString());
    }
}
