using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Abstractions.Serialization;

/// <summary>
/// JSON of an enum vocabulary as its snake_case name whatever the serializer options (the REST API adds such a
/// converter, the retraining webhook's options do not): the JSON stays the string it was before the enum.
/// </summary>
public sealed class SnakeCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
