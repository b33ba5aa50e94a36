using System.Text.Json;
using Fleet.Models;
using Fleet.Server.Hosting;
using Fleet.Server.Protocol;
using Fleet.Server.Serving;
using Fleet.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Api;

/// <summary>
/// <c>POST /v2/models/{name}[/versions/{version}]/infer</c> (Open Inference Protocol, JSON).
/// The live-version path touches only this silo's routing table and the ONNX session.
/// </summary>
internal static class InferenceApi
{
    public const string VersionHeader = "Fleet-Model-Version";
    public const string FallbackHeader = "Fleet-Fallback";

    public static IEndpointRouteBuilder MapInferenceApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v2/models/{name}").WithTags("Inference");
        group.MapPost("/infer", (HttpContext context, string name) => InferAsync(context, name, null));
        group.MapPost("/versions/{version}/infer", (HttpContext context, string name, string version) => InferAsync(context, name, version));
        return app;
    }

    private static async Task InferAsync(HttpContext context, string name, string? version)
    {
        var services = context.RequestServices;
        var host = services.GetRequiredService<ModelHost>();
        var metrics = services.GetRequiredService<FleetMetrics>();
        var pipeline = services.GetRequiredService<PredictionPipeline>();
        var options = services.GetRequiredService<IOptions<FleetOptions>>().Value;
        var time = services.GetRequiredService<TimeProvider>();
        var started = time.GetTimestamp();

        using var body = await RequestBody.ReadAsync(context.Request, options.MaxRequestBodyBytes, context.RequestAborted);
        using var lease = version is null && host.TryAcquireLive(name, out var live)
            ? live
            : await AcquireSlowAsync(context, host, metrics, name, version);
        var served = lease.Model;
        var config = host.TryGetSlot(served.Model, out var slot) ? slot.Route.Config : ModelConfig.Default;
        var outcome = "error";
        try
        {
            var prediction = pipeline.Predict(served, body.Span, config);

            var response = context.Response;
            response.ContentType = "application/json";
            response.Headers[VersionHeader] = prediction.Version;
            if (prediction.Fallback is not null)
            {
                response.Headers[FallbackHeader] = HeaderSafe(prediction.Fallback);
            }

            await using (var writer = new Utf8JsonWriter(response.BodyWriter))
            {
                InferResponseWriter.Write(writer, prediction);
            }

            outcome = prediction.Fallback is null ? "ok" : "fallback";
        }
        catch (InvalidRequestException)
        {
            outcome = "bad_request";
            throw;
        }
        catch (ContractRejectedException)
        {
            outcome = "contract_rejected";
            throw;
        }
        catch (FallbackExhaustedException)
        {
            outcome = "invalid_output";
            throw;
        }
        finally
        {
            metrics.RecordRequest(served.Model, served.Version, outcome, time.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>Header values are one line of visible ASCII.</summary>
    private static string HeaderSafe(string value)
    {
        var chars = value.Select(c => c is >= ' ' and <= '~' ? c : ' ').ToArray();
        return new string(chars, 0, Math.Min(chars.Length, 1024));
    }

    /// <summary>Off the hot path: a pinned version, or a model not (yet) served here, which needs the registry.</summary>
    private static async Task<ModelLease> AcquireSlowAsync(HttpContext context, ModelHost host, FleetMetrics metrics, string name, string? version)
    {
        try
        {
            if (version is not null)
            {
                return await host.AcquireVersionAsync(name, version, context.RequestAborted);
            }

            throw await ModelStatus.UnavailableAsync(host, context.RequestServices.GetRequiredService<IGrainFactory>(), name);
        }
        catch (ModelUnavailableException)
        {
            // Counted only for registered models (a 404 for an unknown name would let any client mint series).
            metrics.RecordRequest(name, version ?? "none", "unavailable", 0);
            throw;
        }
    }
}
