using System.Security.Cryptography;
using System.Text;
using Fleet.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Api;

/// <summary>Requires <c>Authorization: Bearer &lt;Fleet:AdminToken&gt;</c> on the admin API when a token is configured.</summary>
internal sealed class AdminTokenFilter(IOptions<FleetOptions> options) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var token = options.Value.AdminToken;
        if (string.IsNullOrEmpty(token))
        {
            return next(context);
        }

        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return ValueTask.FromResult<object?>(Results.Json(new { error = "authorization: missing 'Authorization: Bearer <token>' (the admin API requires Fleet:AdminToken; the CLI sends FLEET_TOKEN)" }, statusCode: 401));
        }

        var given = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        if (!CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(token)))
        {
            return ValueTask.FromResult<object?>(Results.Json(new { error = "authorization: the bearer token does not match Fleet:AdminToken" }, statusCode: 401));
        }

        return next(context);
    }
}
