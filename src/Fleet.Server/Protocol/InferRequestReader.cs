using System.Text.Json;
using Fleet.Inference.Onnx;
using Fleet.Inference.Tensors;

namespace Fleet.Server.Protocol;

/// <summary>
/// Parses an Open Inference Protocol (KServe v2) JSON request straight into typed arrays with
/// <see cref="Utf8JsonReader"/> and checks it against the model's inputs. Property order is free: an
/// input's <c>data</c> is read after its name, shape and datatype are known. Every error names the input.
/// </summary>
internal static class InferRequestReader
{
    public static InferRequest Read(ReadOnlySpan<byte> json, string model, string version,
        IReadOnlyDictionary<string, TensorSignature> signature, IReadOnlySet<string> outputNames)
    {
        if (json.IsEmpty)
        {
            throw new InvalidRequestException("body: empty; expected an Open Inference Protocol JSON request with 'inputs'");
        }

        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
            return ReadRequest(ref reader, model, version, signature, outputNames, json.Length);
        }
        catch (JsonException ex)
        {
            throw new InvalidRequestException($"body: not valid JSON ({ex.Message})");
        }
    }

    private static InferRequest ReadRequest(ref Utf8JsonReader reader, string model, string version,
        IReadOnlyDictionary<string, TensorSignature> signature, IReadOnlySet<string> outputNames, int bodyLength)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidRequestException("body: expected a JSON object");
        }

        string? id = null;
        List<Tensor>? inputs = null;
        List<string>? outputs = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Null => null,
                    _ => throw new InvalidRequestException("id: must be a string"),
                };
            }
            else if (reader.ValueTextEquals("inputs"u8))
            {
                reader.Read();
                Expect(ref reader, JsonTokenType.StartArray, "inputs: must be an array of tensors");
                inputs = [];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var tensor = ReadInput(ref reader, inputs.Count, model, version, signature, bodyLength);
                    if (inputs.Any(t => t.Name == tensor.Name))
                    {
                        throw new InvalidRequestException($"input '{tensor.Name}': given more than once");
                    }

                    inputs.Add(tensor);
                }
            }
            else if (reader.ValueTextEquals("outputs"u8))
            {
                reader.Read();
                Expect(ref reader, JsonTokenType.StartArray, "outputs: must be an array of {\"name\": ...} objects");
                outputs = [];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var name = ReadOutputName(ref reader, outputs.Count);
                    if (outputs.Contains(name))
                    {
                        throw new InvalidRequestException($"output '{name}': requested more than once");
                    }

                    if (!outputNames.Contains(name))
                    {
                        throw new InvalidRequestException($"output '{name}': unknown output; model '{model}' version '{version}' has: {string.Join(", ", outputNames)}");
                    }

                    outputs.Add(name);
                }
            }
            else
            {
                // "parameters" and any extension field: accepted, not interpreted here.
                reader.Read();
                reader.Skip();
            }
        }

        if (inputs is null)
        {
            throw new InvalidRequestException("inputs: missing; the request must list the model's inputs");
        }

        foreach (var expected in signature.Keys)
        {
            if (!inputs.Any(t => t.Name == expected))
            {
                throw new InvalidRequestException($"input '{expected}': missing; model '{model}' version '{version}' needs: {string.Join(", ", signature.Keys)}");
            }
        }

        return new InferRequest(id, [.. inputs], outputs is { Count: > 0 } ? [.. outputs] : null);
    }

    private static Tensor ReadInput(ref Utf8JsonReader reader, int index, string model, string version, IReadOnlyDictionary<string, TensorSignature> signature, int bodyLength)
    {
        Expect(ref reader, JsonTokenType.StartObject, $"inputs[{index}]: must be an object with name, shape, datatype and data");
        string? name = null;
        string? datatype = null;
        long[]? shape = null;
        var data = default(Utf8JsonReader);
        var hasData = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new InvalidRequestException($"inputs[{index}].name: must be a string");
            }
            else if (reader.ValueTextEquals("datatype"u8))
            {
                reader.Read();
                datatype = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new InvalidRequestException($"inputs[{index}].datatype: must be a string");
            }
            else if (reader.ValueTextEquals("shape"u8))
            {
                reader.Read();
                shape = ReadShape(ref reader, index);
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                data = reader;
                hasData = true;
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        var label = name is null ? $"inputs[{index}]" : $"input '{name}'";
        if (name is null)
        {
            throw new InvalidRequestException($"{label}: missing 'name'");
        }

        if (!signature.TryGetValue(name, out var spec))
        {
            throw new InvalidRequestException($"{label}: unknown input; model '{model}' version '{version}' takes: {string.Join(", ", signature.Keys)}");
        }

        if (datatype is null)
        {
            throw new InvalidRequestException($"{label}: missing 'datatype' (the model expects {spec.Datatype})");
        }

        if (shape is null)
        {
            throw new InvalidRequestException($"{label}: missing 'shape' (the model expects {FormatShape(spec.Shape)})");
        }

        if (!hasData)
        {
            throw new InvalidRequestException($"{label}: missing 'data'");
        }

        if (!TensorDataTypes.TryParseProtocolName(datatype, out var type))
        {
            throw new InvalidRequestException($"{label}: datatype '{datatype}' is not supported (BOOL, INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64, FP32, FP64)");
        }

        if (datatype != spec.Datatype)
        {
            throw new InvalidRequestException($"{label}: datatype {datatype} does not match the model's {spec.Datatype}");
        }

        CheckShape(label, shape, spec.Shape);
        // Sized from the shape before the data is read: bound it by what the body can hold (a value takes at
        // least two bytes with its separator) so a 60-byte request cannot make the server allocate gigabytes.
        var limit = (bodyLength / 2L) + 1;
        var count = 1L;
        foreach (var dim in shape)
        {
            if (dim == 0)
            {
                count = 0;
                break;
            }

            count = dim > limit || count > limit / dim ? limit + 1 : count * dim;
        }

        if (count > limit)
        {
            throw new InvalidRequestException($"{label}: shape {FormatShape(shape)} needs more values than a {bodyLength}-byte body can hold");
        }

        var values = Tensor.Allocate(type, (int)count);
        var reader2 = data;
        var filled = type switch
        {
            TensorDataType.Bool => Fill<bool, BoolReader>(ref reader2, (bool[])values, label, datatype),
            TensorDataType.Int8 => Fill<sbyte, Int8Reader>(ref reader2, (sbyte[])values, label, datatype),
            TensorDataType.UInt8 => Fill<byte, UInt8Reader>(ref reader2, (byte[])values, label, datatype),
            TensorDataType.Int16 => Fill<short, Int16Reader>(ref reader2, (short[])values, label, datatype),
            TensorDataType.UInt16 => Fill<ushort, UInt16Reader>(ref reader2, (ushort[])values, label, datatype),
            TensorDataType.Int32 => Fill<int, Int32Reader>(ref reader2, (int[])values, label, datatype),
            TensorDataType.UInt32 => Fill<uint, UInt32Reader>(ref reader2, (uint[])values, label, datatype),
            TensorDataType.Int64 => Fill<long, Int64Reader>(ref reader2, (long[])values, label, datatype),
            TensorDataType.UInt64 => Fill<ulong, UInt64Reader>(ref reader2, (ulong[])values, label, datatype),
            TensorDataType.Fp32 => Fill<float, Fp32Reader>(ref reader2, (float[])values, label, datatype),
            TensorDataType.Fp64 => Fill<double, Fp64Reader>(ref reader2, (double[])values, label, datatype),
            _ => throw new InvalidRequestException($"{label}: datatype {datatype} is not supported"),
        };
        if (filled != count)
        {
            throw new InvalidRequestException($"{label}: shape {FormatShape(shape)} needs {count} values, data has {filled}");
        }

        return new Tensor(name, type, shape, values);
    }

    /// <summary>Reads a flat or nested array (or a bare scalar) in row-major order; returns how many values it saw.</summary>
    private static int Fill<T, TReader>(ref Utf8JsonReader reader, T[] values, string label, string datatype)
        where TReader : IElementReader<T>
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return Store<T, TReader>(ref reader, values, 0, label, datatype);
        }

        var count = 0;
        var depth = 0;
        do
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    depth++;
                    break;
                case JsonTokenType.EndArray:
                    depth--;
                    break;
                default:
                    count = Store<T, TReader>(ref reader, values, count, label, datatype);
                    break;
            }
        }
        while (depth > 0 && reader.Read());

        return count;
    }

    private static int Store<T, TReader>(ref Utf8JsonReader reader, T[] values, int index, string label, string datatype)
        where TReader : IElementReader<T>
    {
        if (!TReader.TryRead(ref reader, out var value))
        {
            var raw = System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray());
            var text = reader.TokenType switch
            {
                JsonTokenType.String => $"\"{raw}\" (a string)",
                JsonTokenType.Number => raw,
                JsonTokenType.True => "true",
                JsonTokenType.False => "false",
                JsonTokenType.Null => "null",
                JsonTokenType.StartObject => "an object",
                _ => reader.TokenType.ToString(),
            };
            throw new InvalidRequestException(reader.TokenType == JsonTokenType.Null
                ? $"{label}: data[{index}] = null: a missing value can only be sent for FP32 or FP64 inputs (as null), not {datatype}"
                : $"{label}: data[{index}] = {text} is not a valid {datatype} value");
        }

        if (index < values.Length)
        {
            values[index] = value;
        }

        return index + 1;
    }

    private static long[] ReadShape(ref Utf8JsonReader reader, int index)
    {
        Expect(ref reader, JsonTokenType.StartArray, $"inputs[{index}].shape: must be an array of non-negative integers");
        var dims = new List<long>(4);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var dim) || dim < 0)
            {
                throw new InvalidRequestException($"inputs[{index}].shape: must be an array of non-negative integers");
            }

            dims.Add(dim);
        }

        return [.. dims];
    }

    private static string ReadOutputName(ref Utf8JsonReader reader, int index)
    {
        Expect(ref reader, JsonTokenType.StartObject, $"outputs[{index}]: must be an object with a name");
        string? name = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isName = reader.ValueTextEquals("name"u8);
            reader.Read();
            if (isName && reader.TokenType == JsonTokenType.String)
            {
                name = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return name ?? throw new InvalidRequestException($"outputs[{index}]: missing 'name'");
    }

    private static void CheckShape(string label, long[] shape, long[] expected)
    {
        if (shape.Length != expected.Length)
        {
            throw new InvalidRequestException($"{label}: shape {FormatShape(shape)} has rank {shape.Length}, the model expects rank {expected.Length} {FormatShape(expected)}");
        }

        for (var i = 0; i < shape.Length; i++)
        {
            if (expected[i] >= 0 && shape[i] != expected[i])
            {
                throw new InvalidRequestException($"{label}: shape {FormatShape(shape)} does not match the model's {FormatShape(expected)} (dimension {i} must be {expected[i]})");
            }
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string message)
    {
        if (reader.TokenType != type)
        {
            throw new InvalidRequestException(message);
        }
    }

    public static string FormatShape(long[] shape) => "[" + string.Join(",", shape) + "]";
}
