using System.Text.Json;
using Fleet.Inference.Onnx;
using Fleet.Inference.Tensors;

namespace Fleet.Guardrails.Tests;

/// <summary>The repository's sample models and data, and ONNX Runtime on CPU to run them.</summary>
internal static class Samples
{
    private static readonly OnnxSessionFactory Factory = new(new InferenceOptions { ExecutionProvider = ExecutionProviderPreference.Cpu });

    public static string Root => RepoPaths.Root;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, "samples", .. parts]);

    public static OnnxModel Open(params string[] parts) => Factory.Open(Path(parts));

    public static ReferenceData Reference(string sample, string file = "reference.csv", string? label = null)
    {
        using var reader = new StreamReader(Path(sample, file));
        return ContractInference.ReadCsv(reader, label);
    }

    /// <summary>Runs the model on every reference row as one FP32 batch (the predict callback of inference).</summary>
    public static Func<ReferenceData, Tensor[]> Predictor(OnnxModel model) =>
        reference => model.Run([reference.ToTensor(model.Inputs[0].Name, TensorDataType.Fp32)]);

    /// <summary>The first input of an Open Inference Protocol request inside a JSON file (at <paramref name="path"/>).</summary>
    public static Tensor RequestInput(string file, params string[] path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        var input = path.Aggregate(document.RootElement, (element, name) => element.GetProperty(name)).GetProperty("inputs")[0];
        var shape = input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        var data = input.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        return new Tensor(input.GetProperty("name").GetString()!, TensorDataType.Fp32, shape, data);
    }

    public static int[] IntArray(string file, string property)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        return [.. document.RootElement.GetProperty(property).EnumerateArray().Select(v => v.GetInt32())];
    }
}
