using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Inference;
using Fleet.Inference.Onnx;
using Fleet.Inference.Tensors;
using Fleet.Abstractions.Models;
using Fleet.Server.Health;
using Fleet.Server.Protocol;

namespace Fleet.Server.Serving;

/// <summary>
/// A user's golden file (the format of <c>samples/*/golden.json</c>): <c>{"tolerance", "relative_tolerance",
/// "request": {OIP request}, "expected": {"outputs": [{"name", "datatype", "shape", "data"}]}}</c>. It is checked
/// against the uploaded graph and the graph must reproduce it, or the upload is refused (400, <c>golden: ...</c>).
/// </summary>
internal static class GoldenFile
{
    public const double DefaultTolerance = 1e-4;

    public static GoldenSet Read(byte[] json, string fileName, OnnxModel session, string model, DateTimeOffset now)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            throw Invalid($"not valid JSON ({ex.Message})");
        }

        if (root is not JsonObject file)
        {
            throw Invalid("expected a JSON object with 'request' and 'expected'");
        }

        var tolerance = ReadTolerance(file, "tolerance", DefaultTolerance);
        var relative = ReadTolerance(file, "relative_tolerance", 0);
        if (file["request"] is not JsonObject request)
        {
            throw Invalid("request: missing; expected an Open Inference Protocol request object with 'inputs'");
        }

        var inputsByName = session.Inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var outputNames = session.Outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        InferRequest parsed;
        try
        {
            parsed = InferRequestReader.Read(JsonSerializer.SerializeToUtf8Bytes(request), model, "(upload)", inputsByName, outputNames);
        }
        catch (InvalidRequestException ex)
        {
            throw Invalid($"request: {ex.Message}");
        }

        if (file["expected"]?["outputs"] is not JsonArray outputs || outputs.Count == 0)
        {
            throw Invalid("expected.outputs: missing; expected a non-empty array of {\"name\", \"datatype\", \"shape\", \"data\"}");
        }

        var expected = outputs.Select((o, i) => ReadOutput(o, i, session)).ToArray();
        if (expected.Select(e => e.Name).Distinct(StringComparer.Ordinal).Count() != expected.Length)
        {
            throw Invalid("expected.outputs: an output is listed more than once");
        }

        Tensor[] answer;
        try
        {
            answer = session.Run(parsed.Inputs, expected.Select(e => e.Name).ToArray());
        }
        catch (InferenceException ex)
        {
            throw Invalid($"the model failed on the golden request: {ex.Message}");
        }

        if (GoldenComparison.Compare(expected, answer, tolerance, relative) is { } mismatch)
        {
            throw Invalid($"the model does not reproduce {fileName}: {mismatch}");
        }

        return new GoldenSet($"golden file {fileName}", tolerance, relative, parsed.Inputs.Select(GoldenTensors.From).ToArray(), expected, now);
    }

    private static GoldenTensor ReadOutput(JsonNode? node, int index, OnnxModel session)
    {
        var label = $"expected.outputs[{index}]";
        if (node is not JsonObject output)
        {
            throw Invalid($"{label}: must be an object with name, datatype, shape and data");
        }

        var name = output["name"] is JsonValue n && n.TryGetValue<string>(out var s) ? s : throw Invalid($"{label}: missing 'name'");
        label = $"expected output '{name}'";
        var spec = session.Outputs.FirstOrDefault(o => o.Name == name)
            ?? throw Invalid($"{label}: the model has no such output (it has: {string.Join(", ", session.Outputs.Select(o => o.Name))})");
        var datatype = output["datatype"] is JsonValue d && d.TryGetValue<string>(out var t) ? t : spec.Datatype;
        if (datatype != spec.Datatype || !TensorDataTypes.TryParseProtocolName(datatype, out var type))
        {
            throw Invalid($"{label}: datatype {datatype} does not match the model's {spec.Datatype}");
        }

        if (output["shape"] is not JsonArray shapeNode || shapeNode.Any(x => x is not JsonValue v || !v.TryGetValue<long>(out var dim) || dim < 0))
        {
            throw Invalid($"{label}: shape must be an array of non-negative integers");
        }

        var shape = shapeNode.Select(x => x!.GetValue<long>()).ToArray();
        var values = new List<JsonNode?>();
        Flatten(output["data"] ?? throw Invalid($"{label}: missing 'data'"), values);
        if (values.Count != Tensor.ElementCount(shape))
        {
            throw Invalid($"{label}: shape [{string.Join(",", shape)}] needs {Tensor.ElementCount(shape)} values, data has {values.Count}");
        }

        if (type is TensorDataType.Fp32 or TensorDataType.Fp64)
        {
            var floats = values.Select((v, i) => v is JsonValue j && j.GetValueKind() == JsonValueKind.Number ? j.GetValue<double>()
                : throw Invalid($"{label}: data[{i}] = {v?.ToJsonString() ?? "null"} is not a number")).ToArray();
            return new GoldenTensor(name, datatype, shape, floats, null);
        }

        var integers = values.Select((v, i) => (type, v) switch
        {
            (TensorDataType.Bool, JsonValue j) when j.GetValueKind() is JsonValueKind.True or JsonValueKind.False => j.GetValue<bool>() ? 1L : 0L,
            (TensorDataType.UInt64, JsonValue j) when j.TryGetValue<ulong>(out var u) => unchecked((long)u),
            (not TensorDataType.Bool and not TensorDataType.UInt64, JsonValue j) when j.TryGetValue<long>(out var l) => l,
            _ => throw Invalid($"{label}: data[{i}] = {v?.ToJsonString() ?? "null"} is not a valid {datatype} value"),
        }).ToArray();
        return new GoldenTensor(name, datatype, shape, null, integers);
    }

    private static void Flatten(JsonNode? node, List<JsonNode?> values)
    {
        if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                Flatten(item, values);
            }
        }
        else
        {
            values.Add(node);
        }
    }

    private static double ReadTolerance(JsonObject file, string key, double fallback)
    {
        if (file[key] is null)
        {
            return fallback;
        }

        return file[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() is var x && x >= 0 && double.IsFinite(x)
            ? x
            : throw Invalid($"{key}: must be a non-negative number, not {file[key]!.ToJsonString()}");
    }

    /// <summary>The uploaded file, refused beyond <paramref name="maxBytes"/> (Fleet:MaxRequestBodyBytes).</summary>
    public static async Task<byte[]> ReadBytesAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw Invalid($"the file exceeds the limit of {maxBytes.ToString(CultureInfo.InvariantCulture)} bytes (Fleet:MaxRequestBodyBytes)");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static RegistryException Invalid(string problem) => new(RegistryErrorKind.Invalid, $"golden: {problem}");
}
