using System.Text.Json;
using Fleet.Server.Protocol;

namespace Fleet.Server.Api;

/// <summary>Reads an admin JSON body with the size limit and a 400 that says what is wrong.</summary>
internal static class JsonBody
{
    public static async Task<T> ReadAsync<T>(HttpContext context, long maxBytes, bool allowEmpty)
        where T : new()
    {
        using var body = await RequestBody.ReadAsync(context.Request, maxBytes, context.RequestAborted);
        if (body.Length == 0)
        {
            return allowEmpty ? new T() : throw new InvalidRequestException("body: empty; expected a JSON object");
        }

        try
        {
            var options = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            return JsonSerializer.Deserialize<T>(body.Span, options) ?? throw new InvalidRequestException("body: expected a JSON object, got null");
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            throw new InvalidRequestException($"{field}: not valid JSON for this request ({ex.Message.Split(" Path:", 2)[0]})");
        }
    }
}
