using System.Text.Json;
using Fleet.Guardrails;

namespace Fleet.Server.Protocol;

/// <summary>One contract violation as JSON: input, row, column, feature, value (null when missing), rule, detail.</summary>
internal static class ViolationWriter
{
    public static void Write(Utf8JsonWriter writer, Violation violation)
    {
        writer.WriteStartObject();
        writer.WriteString("input"u8, violation.Input);
        writer.WriteNumber("row"u8, violation.Row);
        writer.WriteNumber("column"u8, violation.Column);
        if (violation.Feature is null)
        {
            writer.WriteNull("feature"u8);
        }
        else
        {
            writer.WriteString("feature"u8, violation.Feature);
        }
        if (double.IsFinite(violation.Value))
        {
            writer.WriteNumber("value"u8, violation.Value);
        }
        else
        {
            writer.WriteNull("value"u8);
        }

        writer.WriteString("rule"u8, violation.Rule);
        writer.WriteString("detail"u8, violation.Detail);
        writer.WriteEndObject();
    }
}
