using System.Text;
using Fleet.Inference.Onnx;
using Fleet.Server.Protocol;

namespace Fleet.Tests.Unit;

[Trait(Speed.Trait, Speed.Unit)]
public sealed class InferRequestReaderTests
{
    private static readonly Dictionary<string, TensorSignature> Signature = new()
    {
        ["x"] = new TensorSignature("x", "FP32", [-1, 2], ["batch", ""]),
        ["flag"] = new TensorSignature("flag", "BOOL", [-1], ["batch"]),
        ["k"] = new TensorSignature("k", "INT32", [], []),
    };

    private static readonly HashSet<string> Outputs = ["y"];

    private static InferRequest Read(string json) =>
        InferRequestReader.Read(Encoding.UTF8.GetBytes(json), "m", "1", Signature, Outputs);

    private static string Error(string json) => Assert.Throws<InvalidRequestException>(() => Read(json)).Message;

    [Fact]
    public void Reads_typed_values_nested_or_flat_in_any_property_order()
    {
        var request = Read("""
            {"inputs":[
              {"data":[[1.5,2],[3,4.25]],"shape":[2,2],"name":"x","datatype":"FP32"},
              {"name":"flag","shape":[2],"datatype":"BOOL","data":[true,false]},
              {"name":"k","shape":[],"datatype":"INT32","data":7}
            ],"id":"r1","outputs":[{"name":"y","parameters":{}}]}
            """);

        Assert.Equal("r1", request.Id);
        Assert.Equal(["y"], request.RequestedOutputs!);
        Assert.Equal(new float[] { 1.5f, 2, 3, 4.25f }, (float[])request.Inputs[0].Data);
        Assert.Equal(new long[] { 2, 2 }, request.Inputs[0].Shape);
        Assert.Equal(new[] { true, false }, (bool[])request.Inputs[1].Data);
        Assert.Equal(new[] { 7 }, (int[])request.Inputs[2].Data);
        Assert.Empty(request.Inputs[2].Shape);
    }

    [Theory]
    [InlineData("""{"inputs":[{"name":"x","shape":[1,2],"datatype":"FP32","data":[1,2,3]}]}""", "input 'x': shape [1,2] needs 2 values, data has 3")]
    [InlineData("""{"inputs":[{"name":"k","shape":[],"datatype":"INT32","data":[3000000000]}]}""", "input 'k': data[0] = 3000000000 is not a valid INT32 value")]
    [InlineData("""{"inputs":[{"name":"flag","shape":[1],"datatype":"BOOL","data":[1]}]}""", "input 'flag': data[0] = 1 is not a valid BOOL value")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1,2],"datatype":"FP32","data":[1e39,2]}]}""", "input 'x': data[0] = 1e39 is not a valid FP32 value")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1,-2],"datatype":"FP32","data":[1]}]}""", "inputs[0].shape: must be an array of non-negative integers")]
    [InlineData("""{"inputs":[{"shape":[1,2],"datatype":"FP32","data":[1,2]}]}""", "inputs[0]: missing 'name'")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","data":[1,2]}]}""", "input 'x': missing 'shape' (the model expects [-1,2])")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1,2],"data":[1,2]}]}""", "input 'x': missing 'datatype' (the model expects FP32)")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1,2],"datatype":"FP32","data":[1,2]},{"name":"x","shape":[1,2],"datatype":"FP32","data":[1,2]}]}""", "input 'x': given more than once")]
    [InlineData("""{"inputs":{}}""", "inputs: must be an array of tensors")]
    [InlineData("""{"inputs":[{"name":"k","shape":[],"datatype":"INT32","data":[null]}]}""", "input 'k': data[0] = null: a missing value can only be sent for FP32 or FP64 inputs (as null), not INT32")]
    [InlineData("""[1]""", "body: expected a JSON object")]
    [InlineData("""{"id":5,"inputs":[]}""", "id: must be a string")]
    public void Refusals_name_the_input_and_the_problem(string json, string expected) =>
        Assert.Equal(expected, Error(json));

    [Fact]
    public void Null_in_a_float_input_is_a_missing_value()
    {
        var request = Read("""
            {"inputs":[{"name":"x","shape":[1,2],"datatype":"FP32","data":[null,2]},
              {"name":"flag","shape":[1],"datatype":"BOOL","data":[true]},{"name":"k","shape":[],"datatype":"INT32","data":1}]}
            """);

        var data = (float[])request.Inputs[0].Data;
        Assert.True(float.IsNaN(data[0]));
        Assert.Equal(2f, data[1]);
    }

    [Fact]
    public void Missing_inputs_are_listed_with_what_the_model_needs() =>
        Assert.Equal("input 'flag': missing; model 'm' version '1' needs: x, flag, k",
            Error("""{"inputs":[{"name":"x","shape":[1,2],"datatype":"FP32","data":[1,2]}]}"""));
}
