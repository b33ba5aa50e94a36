using System.Globalization;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Security;

/// <summary>
/// Per-token (else per-address) request rates and per-silo concurrency on the admin API and, when configured, on
/// inference: over either, a 429 with <c>Retry-After</c> naming the limit and its setting. Runs after access, so the
/// token is known; health, metrics and the dashboard are not limited.
/// </summary>
internal sealed class RateLimitMiddleware
{
    private readonly RequestDelegate _next;
    private readonly RateLimiter? _adminRate;
    private readonly RateLimiter? _inferenceRate;
    private readonly ConcurrencyGate _adminGate;
    private readonly ConcurrencyGate _inferenceGate;

    public RateLimitMiddleware(RequestDelegate next, IOptions<SecurityOptions> options, TimeProvider time)
    {
        _next = next;
        var o = options.Value;
        _adminRate = o.AdminRequestsPerMinute > 0 ? new RateLimiter(o.AdminRequestsPerMinute, TimeSpan.FromMinutes(1), time) : null;
        _inferenceRate = o.InferenceRequestsPerSecond > 0 ? new RateLimiter(o.InferenceRequestsPerSecond, TimeSpan.FromSeconds(1), time) : null;
        _adminGate = new ConcurrencyGate(o.AdminConcurrency);
        _inferenceGate = new ConcurrencyGate(o.InferenceConcurrency);
    }

    public Task InvokeAsync(HttpContext context)
    {
        var surface = AccessPolicy.SurfaceOf(context.Request.Path);
        var (rate, gate, setting, what) = surface switch
        {
            Surface.Admin => (_adminRate, _adminGate, "AdminRequestsPerMinute", "admin calls"),
            Surface.Inference => (_inferenceRate, _inferenceGate, "InferenceRequestsPerSecond", "inference requests"),
            _ => (null, null, "", ""),
        };
        if (gate is null || rate is null && gate.Limit <= 0)
        {
            return _next(context);
        }

        if (rate is not null)
        {
            var who = AccessContext.IdentityOf(context) is { } identity ? $"token '{identity.Name}'" : $"client {context.Connection.RemoteIpAddress}";
            if (rate.TryAcquire(who) is { } wait)
            {
                return RefuseAsync(context, wait,
                    $"rate limit: {who} made more than {rate.Limit} {what} in {Per(rate.Window)} (Fleet:Security:{setting})");
            }
        }

        if (!gate.TryEnter())
        {
            var name = surface == Surface.Admin ? "AdminConcurrency" : "InferenceConcurrency";
            return RefuseAsync(context, TimeSpan.FromSeconds(1), $"rate limit: {gate.Limit} {what} are in flight on this silo already (Fleet:Security:{name})");
        }

        return RunAsync(context, gate);
    }

    private async Task RunAsync(HttpContext context, ConcurrencyGate gate)
    {
        try
        {
            await _next(context);
        }
        finally
        {
            gate.Exit();
        }
    }

    private static Task RefuseAsync(HttpContext context, TimeSpan wait, string message)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return context.Response.WriteAsJsonAsync(new { error = $"{message}; retry after {seconds} s" },
            (System.Text.Json.JsonSerializerOptions?)null, "application/json");
    }

    private static string Per(TimeSpan window) => window == TimeSpan.FromMinutes(1) ? "a minute" : "a second";
}
