using System.Buffers;
using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.WireProtocol;

namespace Fleet.Abstractions.Serialization;

/// <summary>
/// An enum stored as its snake_case name, in the bytes of a <c>string</c> field: vocabularies that were
/// strings on the wire and in grain state (decision actions, roles, statuses) became enums in code without
/// changing what is stored, so state written before reads back. An unknown name fails loudly with the name. A member
/// spelled otherwise on the wire (<c>quality-drop</c>) says so with <see cref="JsonStringEnumMemberNameAttribute"/>.
/// Derive one sealed <c>[RegisterSerializer]</c> class per enum; the enum itself carries no Orleans attribute.
/// </summary>
internal abstract class StringEnumCodec<TEnum> : IFieldCodec<TEnum>
    where TEnum : struct, Enum
{
    private static readonly FrozenDictionary<TEnum, string> Names =
        Enum.GetValues<TEnum>().ToFrozenDictionary(v => v, WireName);

    private static readonly FrozenDictionary<string, TEnum> Values =
        Names.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>The member's <see cref="JsonStringEnumMemberNameAttribute"/> when it has one (JSON uses it too), else its snake_case name.</summary>
    public static string WireName(TEnum value) =>
        typeof(TEnum).GetField(value.ToString())?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
        ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, TEnum value)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (!Names.TryGetValue(value, out var name))
            throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(TEnum).Name} has no value {value}");
        StringCodec.WriteField(ref writer, fieldIdDelta, name);
    }

    public TEnum ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        var name = StringCodec.ReadValue(ref reader, field)
            ?? throw new InvalidOperationException($"stored {typeof(TEnum).Name} is null");
        return Values.TryGetValue(name, out var value)
            ? value
            : throw new InvalidOperationException($"stored {typeof(TEnum).Name} '{name}' is not one of {string.Join(", ", Values.Keys)}");
    }
}
