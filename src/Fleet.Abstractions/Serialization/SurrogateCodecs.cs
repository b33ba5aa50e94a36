using System.Buffers;
using System.Runtime.CompilerServices;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.GeneratedCodeHelpers;
using Orleans.Serialization.Serializers;
using Orleans.Serialization.WireProtocol;

namespace Fleet.Abstractions.Serialization;

/// <summary>
/// Serializes a record of an algorithm library through its surrogate struct, in the bytes Orleans' generated
/// code wrote for the record when it carried <c>[GenerateSerializer]</c> itself: an object with an (empty)
/// base section, then the fields by id. Orleans' own <c>SurrogateCodec</c> writes a struct's layout (no base
/// section), which an older silo or stored grain state could not read; this one reads and writes both ways.
/// </summary>
internal abstract class RecordSurrogateCodec<T, TSurrogate, TConverter>(IValueSerializer<TSurrogate> surrogates) : IFieldCodec<T>
    where T : class
    where TSurrogate : struct
    where TConverter : IConverter<T, TSurrogate>, new()
{
    private static readonly Type FieldType = typeof(T);
    private static readonly TConverter Converter = new();

    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, T? value)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (ReferenceCodec.TryWriteReferenceField(ref writer, fieldIdDelta, expectedType, value))
            return; // null, or an object already written in this message
        if (value!.GetType() != FieldType)
        {
            writer.SerializeUnexpectedType(fieldIdDelta, expectedType, value);
            return;
        }

        writer.WriteStartObject(fieldIdDelta, expectedType, FieldType);
        writer.WriteEndBase();
        var surrogate = Converter.ConvertToSurrogate(in value);
        surrogates.Serialize(ref writer, ref surrogate);
        writer.WriteEndObject();
    }

    public T ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        if (field.WireType == WireType.Reference)
            return ReferenceCodec.ReadReference<T, TInput>(ref reader, field)!;
        if (field.FieldType is not null && field.FieldType != FieldType)
            return reader.DeserializeUnexpectedType<TInput, T>(ref field);

        field.EnsureWireTypeTagDelimited();
        var placeholder = ReferenceCodec.CreateRecordPlaceholder(reader.Session);
        reader.ConsumeEndBaseOrEndObject();
        TSurrogate surrogate = default;
        surrogates.Deserialize(ref reader, ref surrogate);
        var result = Converter.ConvertFromSurrogate(in surrogate);
        ReferenceCodec.RecordObject(reader.Session, result, placeholder);
        return result;
    }
}

/// <summary>
/// An int-backed enum of an algorithm library, written as Orleans' generated code wrote it when the enum
/// carried <c>[GenerateSerializer]</c>: the integer, typed as the enum (without this, Orleans writes the
/// underlying int with its own type id).
/// </summary>
internal abstract class IntEnumCodec<TEnum> : IFieldCodec<TEnum>
    where TEnum : struct, Enum
{
    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, TEnum value)
        where TBufferWriter : IBufferWriter<byte> =>
        Int32Codec.WriteField(ref writer, fieldIdDelta, expectedType, Unsafe.As<TEnum, int>(ref value), typeof(TEnum));

    public TEnum ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        var value = Int32Codec.ReadValue(ref reader, field);
        return Unsafe.As<int, TEnum>(ref value);
    }
}
