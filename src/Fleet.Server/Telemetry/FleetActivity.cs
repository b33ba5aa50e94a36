using System.Diagnostics;

namespace Fleet.Server.Telemetry;

/// <summary>
/// Fleet's spans (ActivitySource "Fleet"): one per inference request (<c>infer</c>, continuing an incoming W3C
/// <c>traceparent</c>, carried on to a replica when forwarded). Exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set; either way a request's trace id comes back in <see cref="TraceIdHeader"/>.
/// </summary>
internal static class FleetActivity
{
    public const string Name = "Fleet";
    public const string TraceIdHeader = "Fleet-Trace-Id";

    public static readonly ActivitySource Source = new(Name);

    /// <summary>The request's span: a child of its <c>traceparent</c> when it has a valid one, else a new trace.</summary>
    public static Activity? StartInfer(HttpContext context, string model)
    {
        var headers = context.Request.Headers;
        ActivityContext.TryParse(headers.TraceParent.ToString(), headers.TraceState.ToString(), out var parent);
        var activity = Source.StartActivity("infer", ActivityKind.Server, parent);
        if (activity is not null)
        {
            activity.SetTag("fleet.model", model);
            context.Response.Headers[TraceIdHeader] = activity.TraceId.ToHexString();
        }

        return activity;
    }
}
