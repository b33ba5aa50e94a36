using System.Globalization;
using Fleet.Server.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Protocol;

/// <summary>Marks the endpoint whose body is a model artifact: its limit is <c>Fleet:MaxArtifactBytes</c>, not <c>Fleet:MaxRequestBodyBytes</c>.</summary>
internal sealed class ArtifactBody
{
    public static readonly ArtifactBody Instance = new();
}

/// <summary>
/// One body limit for every route, whether or not its handler reads a body: a declared length over the endpoint's limit
/// is a 400 before the handler runs, and Kestrel stops any body (chunked too) a little past it. Fleet's own readers
/// stop at the limit itself with their clearer message; this is the backstop for everything else.
/// </summary>
internal sealed class BodyLimitMiddleware(RequestDelegate next, IOptions<FleetOptions> options)
{
    /// <summary>Kestrel's limit is this much above Fleet's, so Fleet's readers meet the limit first and say so.</summary>
    public const long Margin = 64 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        var artifact = context.GetEndpoint()?.Metadata.GetMetadata<ArtifactBody>() is not null;
        var (limit, setting) = artifact
            ? (options.Value.MaxArtifactBytes, "Fleet:MaxArtifactBytes")
            : (options.Value.MaxRequestBodyBytes, "Fleet:MaxRequestBodyBytes");
        if (context.Request.ContentLength is { } declared && declared > limit)
        {
            context.Response.StatusCode = 400;
            return context.Response.WriteAsJsonAsync(new
            {
                error = $"body: {declared.ToString(CultureInfo.InvariantCulture)} bytes exceeds the limit of {limit.ToString(CultureInfo.InvariantCulture)} bytes ({setting})",
            }, (System.Text.Json.JsonSerializerOptions?)null, "application/json");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit + Margin;
        }

        return next(context);
    }
}
