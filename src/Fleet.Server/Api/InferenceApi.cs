using System.Text.Json;
using Fleet.Server.Protocol;
using Fleet.Server.Replicas;
using Fleet.Server.Serving;
using Fleet.Server.Telemetry;

namespace Fleet.Server.Api;

/// <summary>
/// <c>POST /v2/models/{name}[/versions/{version}]/infer</c> (Open Inference Protocol, JSON).
/// Parses and writes; the <see cref="DataPlane"/> decides which version answers. The live-version path touches only this
/// silo's routing table and the ONNX session.
/// </summary>
internal static class InferenceApi
{
    public const string VersionHeader = "Fleet-Model-Version";
    public const string FallbackHeader = "Fleet-Fallback";

    public static IEndpointRouteBuilder MapInferenceApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v2/models/{name}").WithTags("Inference");
        group.MapPost("/infer", (HttpContext context, DataPlane plane, ReplicaForwarder forwarder, string name) =>
            InferAsync(context, plane, forwarder, name, null));
        group.MapPost("/versions/{version}/infer", (HttpContext context, DataPlane plane, ReplicaForwarder forwarder, string name, string version) =>
            InferAsync(context, plane, forwarder, name, version));
        return app;
    }

    private static async Task InferAsync(HttpContext context, DataPlane plane, ReplicaForwarder forwarder, string name, string? version)
    {
        var started = plane.Timestamp();
        using var activity = FleetActivity.StartInfer(context, name);
        using var body = await RequestBody.ReadAsync(context.Request, plane.MaxRequestBodyBytes, context.RequestAborted);
        var forwardedBy = context.Request.Headers.TryGetValue(ReplicaForwarder.ForwardedByHeader, out var by) ? by.ToString() : null;
        if (!plane.TryAdmitLive(name, version, out var lease))
        {
            var admission = await plane.AdmitAsync(name, version, forwardedBy, context.RequestAborted);
            if (admission.ForwardTo is { } route)
            {
                await forwarder.ForwardAsync(context, route, body.Memory);
                return;
            }

            lease = admission.Lease;
        }

        using var held = lease;
        var outcome = "error";
        try
        {
            var prediction = plane.Predict(held.Model, body.Span, asLive: version is null);

            var response = context.Response;
            response.ContentType = "application/json";
            response.Headers[VersionHeader] = prediction.Version;
            if (prediction.Fallback is not null)
                response.Headers[FallbackHeader] = HeaderSafe(prediction.Fallback);

            await using (var writer = new Utf8JsonWriter(response.BodyWriter))
            {
                InferResponseWriter.Write(writer, prediction);
            }

            outcome = DataPlane.Answered(prediction);
            plane.RecordTrace(held.Model, prediction, outcome, started, forwardedBy);
            activity?.SetTag("fleet.version", prediction.Version).SetTag("fleet.request_id", prediction.Id).SetTag("fleet.fallback", prediction.Fallback);
        }
        catch (Exception ex)
        {
            outcome = DataPlane.OutcomeOf(ex);
            throw;
        }
        finally
        {
            activity?.SetTag("fleet.outcome", outcome);
            plane.RecordRequest(held.Model, outcome, started);
        }
    }

    /// <summary>Header values are one line of visible ASCII.</summary>
    private static string HeaderSafe(string value)
    {
        var chars = value.Select(c => c is >= ' ' and <= '~' ? c : ' ').ToArray();
        return new string(chars, 0, Math.Min(chars.Length, 1024));
    }
}
