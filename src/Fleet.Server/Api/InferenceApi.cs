using System.Text.Json;
using Fleet.Abstractions.Models;
using Fleet.Server.Hosting;
using Fleet.Server.Protocol;
using Fleet.Server.Replicas;
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
        if (!(version is null && host.TryAcquireLive(name, out var lease)))
        {
            if (await AcquireSlowAsync(context, host, metrics, name, version, body) is not { } acquired)
            {
                return; // Forwarded: a replica's answer was written.
            }

            lease = acquired;
        }

        using var held = lease;
        var served = held.Model;
        var config = host.TryGetSlot(served.Model, out var slot) ? slot.Route.Config : ModelConfig.Default;
        var outcome = "error";
        try
        {
            var prediction = pipeline.Predict(served, body.Span, config, acquiredAsLive: version is null);

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
        catch (InputNotRunnableException)
        {
            outcome = "input_not_runnable";
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

    /// <summary>
    /// Off the hot path: a pinned version, or a model not (yet) served here, which needs the registry. A model the
    /// coordinator placed on other hosts is forwarded to one of them: null then, the answer is written.
    /// </summary>
    private static async Task<ModelLease?> AcquireSlowAsync(HttpContext context, ModelHost host, FleetMetrics metrics, string name, string? version,
        RequestBody body)
    {
        try
        {
            if (version is not null)
            {
                return await host.AcquireVersionAsync(name, version, context.RequestAborted);
            }

            if (host.TryGetSlot(name, out var slot) && slot.Route.LiveVersion is not null)
            {
                var self = context.RequestServices.GetRequiredService<HostIdentity>().Name;
                // Placed elsewhere, or placed here too but not loaded yet (a replica that is moving in): another replica answers.
                if (slot.Route.Replicas is { } replicas && Array.Exists(replicas, r => r.Host != self))
                {
                    if (context.Request.Headers.TryGetValue(ReplicaForwarder.ForwardedByHeader, out var by))
                    {
                        // The forwarder's placement is not this silo's: answer rather than bounce it on (no loops).
                        throw new ModelUnavailableException($"model '{name}' is not served on host {self} (forwarded by {by}); not forwarding twice");
                    }

                    await context.RequestServices.GetRequiredService<ReplicaForwarder>().ForwardAsync(context, slot.Route, body.Memory);
                    return null;
                }
            }

            throw await ModelStatus.UnavailableAsync(host, context.RequestServices.GetRequiredService<IGrainFactory>(), name);
        }
        catch (ModelUnavailableException)
        {
            // Counted only for registered models (a 404 for an unknown name would let any client mint series). A
            // forwarded answer is counted by the replica that produced it; only this silo's own 503 is counted here.
            metrics.RecordRequest(name, version ?? "none", "unavailable", 0);
            throw;
        }
    }
}
