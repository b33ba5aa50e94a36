using System.Text.Json;

namespace Fleet.Server.Protocol;

/// <summary>Reads one JSON token as a tensor element; one struct per type so the loop is specialised, not boxed.</summary>
internal interface IElementReader<T>
{
    static abstract bool TryRead(ref Utf8JsonReader reader, out T value);
}

internal readonly struct BoolReader : IElementReader<bool>
{
    public static bool TryRead(ref Utf8JsonReader reader, out bool value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True: value = true; return true;
            case JsonTokenType.False: value = false; return true;
            default: value = false; return false;
        }
    }
}

internal readonly struct Int8Reader : IElementReader<sbyte>
{
    public static bool TryRead(ref Utf8JsonReader reader, out sbyte value) { value = 0; return reader.TokenType == JsonTokenType.Number && reader.TryGetSByte(out value); }
}

internal readonly struct UInt8Reader : IElementReader<byte>
{
    public static bool TryRead(ref Utf8JsonReader reader, out byte value) { value = 0; return reader.TokenType == JsonTokenType.Number && reader.TryGetByte(out value); }
}

internal readonly struct Int16Reader : IElementReader<short>
{
    public static bool TryRead(ref Utf8JsonReader reader, out short value) { value = 0; return reader.TokenType == JsonTokenType.Number && reader.TryGetInt16(out value); }
}

internal readonly struct UInt16Reader : IElementReader<ushort>
{
    public static bool TryRead(ref Utf8JsonReader reader, out ushort value) { value = 0; return reader.TokenType == JsonTokenType.Number && reader.TryGetUInt16(out value); }
}

internal readonly struct Int32Reader : IElementReader<int>
{
    public static bool TryRead(ref Utf8JsonReader reader, out int value) { value = 0; return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out value); }
}

internal readonly struct UInt32Reader : IElementReader<uint>
{
    public static bool TryRead(ref Utf8JsonReader reader, out uint value) { value = 0; return reader.TokenType == JsonTokenType.Number && reader.TryGetUInt32(out value); }
}

internal readonly struct Int64Reader : IElementReader<long>
{
    public static bool TryRead(ref Utf8JsonReader reader, out long value) { value = 0; return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out value); }
}

internal readonly struct UInt64Reader : IElementReader<ulong>
{
    public static bool TryRead(ref Utf8JsonReader reader, out ulong value) { value = 0; return reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out value); }
}

internal readonly struct Fp32Reader : IElementReader<float>
{
    public static bool TryRead(ref Utf8JsonReader reader, out float value)
    {
        // null is a missing value (NaN): the input contract decides what happens to it (input_missing).
        if (reader.TokenType == JsonTokenType.Null)
        {
            value = float.NaN;
            return true;
        }

        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetSingle(out value) && float.IsFinite(value);
    }
}

internal readonly struct Fp64Reader : IElementReader<double>
{
    public static bool TryRead(ref Utf8JsonReader reader, out double value)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            value = double.NaN;
            return true;
        }

        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out value) && double.IsFinite(value);
    }
}
