using System.Text.Json;
using Fleet.Inference.Onnx;
using Fleet.Inference.Tensors;

namespace Fleet.Server.Serving;

/// <summary>
/// The configured static answer (config key <c>fallback_default</c>): a JSON object mapping output names to
/// one row's values, repeated for every row of the request. Parsed once when the config is set.
/// </summary>
internal static class DefaultResponse
{
    /// <summary>Validates a <c>fallback_default</c> value against the outputs it will stand in for; returns the error or null.</summary>
    public static string? Validate(string json, IReadOnlyList<TensorSignature> outputs)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return "fallback_default: must be a JSON object mapping output names to one row's values";
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                var spec = outputs.FirstOrDefault(o => o.Name == property.Name);
                if (spec is null)
                {
                    return $"fallback_default: '{property.Name}' is not an output of the live version (outputs: {string.Join(", ", outputs.Select(o => o.Name))})";
                }

                if (!TensorDataTypes.TryParseProtocolName(spec.Datatype, out _))
                {
                    return $"fallback_default: output '{property.Name}' has type {spec.Datatype}, which a default cannot fill";
                }

                var values = property.Value.ValueKind == JsonValueKind.Array ? property.Value.EnumerateArray().ToArray() : [property.Value];
                if (values.Any(v => v.ValueKind is not (JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)))
                {
                    return $"fallback_default: '{property.Name}' must be a number, a boolean or an array of them";
                }
            }

            return null;
        }
        catch (JsonException ex)
        {
            return $"fallback_default: not valid JSON ({ex.Message})";
        }
    }

    /// <summary>Builds outputs for <paramref name="rows"/> rows; shape [rows] for one value per row, else [rows, n].</summary>
    public static Tensor[] Build(string json, int rows, IReadOnlyList<TensorSignature> outputs, IReadOnlyList<string>? requested)
    {
        using var document = JsonDocument.Parse(json);
        var result = new List<Tensor>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (requested is not null && !requested.Contains(property.Name))
            {
                continue;
            }

            var spec = outputs.First(o => o.Name == property.Name);
            TensorDataTypes.TryParseProtocolName(spec.Datatype, out var type);
            var row = property.Value.ValueKind == JsonValueKind.Array ? property.Value.EnumerateArray().ToArray() : [property.Value];
            var data = Tensor.Allocate(type, rows * row.Length);
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < row.Length; c++)
                {
                    data.SetValue(Convert(row[c], type), r * row.Length + c);
                }
            }

            long[] shape = property.Value.ValueKind == JsonValueKind.Array ? [rows, row.Length] : [rows];
            result.Add(new Tensor(property.Name, type, shape, data));
        }

        return [.. result];
    }

    private static object Convert(JsonElement value, TensorDataType type) => type switch
    {
        TensorDataType.Bool => value.ValueKind == JsonValueKind.True || (value.ValueKind == JsonValueKind.Number && value.GetDouble() != 0),
        TensorDataType.Fp32 => (float)AsDouble(value),
        TensorDataType.Fp64 => AsDouble(value),
        TensorDataType.Int8 => (sbyte)AsDouble(value),
        TensorDataType.UInt8 => (byte)AsDouble(value),
        TensorDataType.Int16 => (short)AsDouble(value),
        TensorDataType.UInt16 => (ushort)AsDouble(value),
        TensorDataType.Int32 => (int)AsDouble(value),
        TensorDataType.UInt32 => (uint)AsDouble(value),
        TensorDataType.Int64 => (long)AsDouble(value),
        TensorDataType.UInt64 => (ulong)AsDouble(value),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static double AsDouble(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        _ => value.GetDouble(),
    };
}
