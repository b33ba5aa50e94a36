using System.Globalization;
using System.Text.Json.Nodes;
using Fleet.Inference.Tensors;
using Fleet.Abstractions.Models;

namespace Fleet.Server.Health;

/// <summary>Conversions between runtime <see cref="Tensor"/>s, stored <see cref="GoldenTensor"/>s and golden-file JSON.</summary>
internal static class GoldenTensors
{
    public static GoldenTensor From(Tensor tensor) => tensor.Data switch
    {
        float[] f => new GoldenTensor(tensor.Name, tensor.Type.ToProtocolName(), tensor.Shape, Array.ConvertAll(f, v => (double)v), null),
        double[] d => new GoldenTensor(tensor.Name, tensor.Type.ToProtocolName(), tensor.Shape, (double[])d.Clone(), null),
        _ => new GoldenTensor(tensor.Name, tensor.Type.ToProtocolName(), tensor.Shape, null, Integers(tensor.Data)),
    };

    public static Tensor ToTensor(GoldenTensor golden)
    {
        if (!TensorDataTypes.TryParseProtocolName(golden.Datatype, out var type))
        {
            throw new InvalidOperationException($"golden tensor '{golden.Name}' has unsupported datatype {golden.Datatype}");
        }

        var data = Tensor.Allocate(type, golden.Length);
        switch (data)
        {
            case float[] f:
                for (var i = 0; i < f.Length; i++)
                {
                    f[i] = (float)golden.Floats![i];
                }

                break;
            case double[] d:
                Array.Copy(golden.Floats!, d, d.Length);
                break;
            default:
                var integers = golden.Integers!;
                for (var i = 0; i < integers.Length; i++)
                {
                    SetInteger(data, i, integers[i]);
                }

                break;
        }

        return new Tensor(golden.Name, type, golden.Shape, data);
    }

    /// <summary>As in golden files and OIP requests: <c>{"name", "datatype", "shape", "data"}</c>, BOOL as true/false.</summary>
    public static JsonObject ToJson(GoldenTensor tensor)
    {
        var data = new JsonArray();
        if (tensor.Floats is { } floats)
        {
            foreach (var v in floats)
            {
                // FP32 values print as the shortest float text, so a stored 0.1f reads back as 0.1.
                data.Add(tensor.Datatype == "FP32" ? JsonValue.Create((float)v) : JsonValue.Create(v));
            }
        }
        else if (tensor.Integers is { } integers)
        {
            foreach (var v in integers)
            {
                data.Add(tensor.Datatype switch
                {
                    "BOOL" => JsonValue.Create(v != 0),
                    "UINT64" => JsonValue.Create(unchecked((ulong)v)),
                    _ => JsonValue.Create(v),
                });
            }
        }

        return new JsonObject
        {
            ["name"] = tensor.Name,
            ["datatype"] = tensor.Datatype,
            ["shape"] = new JsonArray(tensor.Shape.Select(d => (JsonNode)d).ToArray()),
            ["data"] = data,
        };
    }

    /// <summary>One element as text, for mismatch messages.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>An FP32 element as the shortest text that reads back as the same float.</summary>
    public static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static long[] Integers(Array data)
    {
        var result = new long[data.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = data switch
            {
                bool[] b => b[i] ? 1 : 0,
                sbyte[] a => a[i],
                byte[] a => a[i],
                short[] a => a[i],
                ushort[] a => a[i],
                int[] a => a[i],
                uint[] a => a[i],
                long[] a => a[i],
                ulong[] a => unchecked((long)a[i]),
                _ => throw new ArgumentException($"unsupported element type {data.GetType().Name}", nameof(data)),
            };
        }

        return result;
    }

    private static void SetInteger(Array data, int index, long value)
    {
        switch (data)
        {
            case bool[] b: b[index] = value != 0; break;
            case sbyte[] a: a[index] = (sbyte)value; break;
            case byte[] a: a[index] = (byte)value; break;
            case short[] a: a[index] = (short)value; break;
            case ushort[] a: a[index] = (ushort)value; break;
            case int[] a: a[index] = (int)value; break;
            case uint[] a: a[index] = (uint)value; break;
            case long[] a: a[index] = value; break;
            case ulong[] a: a[index] = unchecked((ulong)value); break;
            default: throw new ArgumentException($"unsupported element type {data.GetType().Name}", nameof(data));
        }
    }
}
