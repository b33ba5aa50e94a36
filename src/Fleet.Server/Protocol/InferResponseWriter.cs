using System.Text.Json;
using Fleet.Inference.Tensors;
using Fleet.Server.Serving;

namespace Fleet.Server.Protocol;

/// <summary>Writes an Open Inference Protocol response with <see cref="Utf8JsonWriter"/>, no intermediate objects.</summary>
internal static class InferResponseWriter
{
    /// <summary>Throws <see cref="NonFiniteOutputException"/> before anything is written if an output holds NaN or Infinity.</summary>
    public static void EnsureFinite(string model, string version, Tensor[] outputs)
    {
        foreach (var output in outputs)
        {
            var index = output.Data switch
            {
                float[] f => IndexOfNonFinite(f),
                double[] d => IndexOfNonFinite(d),
                _ => -1,
            };
            if (index >= 0)
            {
                throw new NonFiniteOutputException(
                    $"model '{model}' version '{version}' produced a non-finite value in output '{output.Name}' at flat index {index}; it was not returned");
            }
        }
    }

    public static void Write(Utf8JsonWriter writer, Prediction prediction)
    {
        writer.WriteStartObject();
        writer.WriteString("model_name"u8, prediction.Model);
        writer.WriteString("model_version"u8, prediction.Version);
        writer.WriteString("id"u8, prediction.Id);
        writer.WriteStartObject("parameters"u8);
        writer.WriteString("execution_provider"u8, prediction.Provider);
        if (prediction.Fallback is not null)
        {
            writer.WriteString("fleet_fallback"u8, prediction.Fallback);
        }

        if (prediction.FlaggedViolations > 0)
        {
            writer.WriteNumber("fleet_contract_violations"u8, prediction.FlaggedViolations);
            writer.WriteStartArray("fleet_violations"u8);
            foreach (var violation in prediction.Violations.Take(10))
            {
                ViolationWriter.Write(writer, violation);
            }

            writer.WriteEndArray();
        }

        if (prediction.OutlierRows.Length > 0)
        {
            writer.WriteStartArray("fleet_outlier_rows"u8);
            foreach (var row in prediction.OutlierRows)
            {
                writer.WriteNumberValue(row);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteStartArray("outputs"u8);
        foreach (var output in prediction.Outputs)
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, output.Name);
            writer.WriteString("datatype"u8, output.Type.ToProtocolName());
            writer.WriteStartArray("shape"u8);
            foreach (var dim in output.Shape)
            {
                writer.WriteNumberValue(dim);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("data"u8);
            WriteData(writer, output.Data);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteData(Utf8JsonWriter writer, Array data)
    {
        switch (data)
        {
            case float[] values: foreach (var v in values) writer.WriteNumberValue(v); break;
            case double[] values: foreach (var v in values) writer.WriteNumberValue(v); break;
            case long[] values: foreach (var v in values) writer.WriteNumberValue(v); break;
            case int[] values: foreach (var v in values) writer.WriteNumberValue(v); break;
            case bool[] values: foreach (var v in values) writer.WriteBooleanValue(v); break;
            case sbyte[] values: foreach (var v in values) writer.WriteNumberValue(v); break;
            case byte[] values: foreach (var v in values) writer.WriteNumberValue(v); break;
            case short[] values: foreach (var v in values) writer.WriteNumberValue(v); break;
            case ushort[] values: foreach (var v in values) writer.WriteNumberValue(v); break;
            case uint[] values: foreach (var v in values) writer.WriteNumberValue(v); break;
            case ulong[] values: foreach (var v in values) writer.WriteNumberValue(v); break;
            default: throw new ArgumentException($"unsupported tensor array {data.GetType()}", nameof(data));
        }
    }

    private static int IndexOfNonFinite(float[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static int IndexOfNonFinite(double[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
