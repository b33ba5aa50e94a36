using Fleet.Abstractions.Models;
using Fleet.Abstractions.Routing;
using Fleet.Server.Api;
using Fleet.Server.Hosting;
using Fleet.Server.Protocol;
using Fleet.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Serving;

/// <summary>Where a request runs: on a version leased here, or on a replica it is forwarded to (<see cref="ForwardTo"/> set).</summary>
internal readonly record struct Admission(ModelLease Lease, ModelRoute? ForwardTo);

/// <summary>
/// The inference data plane behind every protocol endpoint: which version answers a request (the live one from the
/// route table without a grain call; a named version loaded on demand; a replica elsewhere; or a 503 saying why),
/// running it through the <see cref="PredictionPipeline"/>, and counting the outcome. Endpoints only parse and write.
/// </summary>
internal sealed class DataPlane(ModelHost host, PredictionPipeline pipeline, HostIdentity identity, IGrainFactory grains, FleetMetrics metrics,
    Tracing.TraceLedger traces, TimeProvider time, IOptions<FleetOptions> options)
{
    public long MaxRequestBodyBytes => options.Value.MaxRequestBodyBytes;

    public long Timestamp() => time.GetTimestamp();

    /// <summary>Hot path: the live version when it is loaded here and no version was named. No await, no grain call.</summary>
    public bool TryAdmitLive(string model, string? version, out ModelLease lease)
    {
        if (version is null)
            return host.TryAcquireLive(model, out lease);
        lease = default;
        return false;
    }

    /// <summary>
    /// Off the hot path: a named version, or a model not (yet) served here, which needs the registry. A model the
    /// coordinator placed on other hosts is forwarded to one of them, unless another silo already forwarded it here
    /// (<paramref name="forwardedBy"/>): then this silo answers 503 rather than bounce it on (no loops).
    /// </summary>
    public async Task<Admission> AdmitAsync(string model, string? version, string? forwardedBy, CancellationToken cancellationToken)
    {
        try
        {
            if (version is not null)
                return new Admission(await host.AcquireVersionAsync(model, version, cancellationToken), null);

            // Placed elsewhere, or placed here too but not loaded yet (a replica that is moving in): another replica answers.
            if (host.TryGetSlot(model, out var slot) && slot.Route.LiveVersion is not null
                && slot.Route.Replicas is { } replicas && Array.Exists(replicas, r => r.Host != identity.Name))
            {
                return forwardedBy is null
                    ? new Admission(default, slot.Route)
                    : throw new ModelUnavailableException($"model '{model}' is not served on host {identity.Name} (forwarded by {forwardedBy}); not forwarding twice");
            }

            throw await ModelStatus.UnavailableAsync(host, grains, model);
        }
        catch (ModelUnavailableException)
        {
            // Counted only for registered models (a 404 for an unknown name would let any client mint series). A
            // forwarded answer is counted by the replica that produced it; only this silo's own 503 is counted here.
            metrics.RecordRequest(model, version ?? "none", "unavailable", 0);
            throw;
        }
    }

    /// <summary>Runs the request on <paramref name="served"/> with its model's current configuration.</summary>
    public Prediction Predict(ServedModel served, ReadOnlySpan<byte> body, bool asLive)
    {
        var config = host.TryGetSlot(served.Model, out var slot) ? slot.Route.Config : ModelConfig.Default;
        return pipeline.Predict(served, body, config, acquiredAsLive: asLive);
    }

    public void RecordRequest(ServedModel served, string outcome, long started) =>
        metrics.RecordRequest(served.Model, served.Version, outcome, time.GetElapsedTime(started).TotalSeconds);

    /// <summary>Keeps what an answered request went through, for <c>fleet trace ID</c> (<see cref="Tracing.TraceLedger"/>).</summary>
    public void RecordTrace(ServedModel served, Prediction prediction, string outcome, long started, string? forwardedBy) =>
        traces.Record(new Tracing.RequestTrace(prediction.Id, served.Model, served.Version, prediction.Version, identity.Name, time.GetUtcNow(),
            time.GetElapsedTime(started).TotalMilliseconds, outcome, forwardedBy, prediction.Provider,
            prediction.Violations.Count == 0 ? []
                : [.. prediction.Violations.Take(Tracing.TraceLedger.MaxChecks).Select(v => $"{v.Feature ?? v.Input} row {v.Row}: {v.Rule} ({v.Detail})")],
            prediction.OutlierRows.Length, prediction.Fallback, System.Diagnostics.Activity.Current?.TraceId.ToHexString()));

    /// <summary>The outcome label of an answered request.</summary>
    public static string Answered(Prediction prediction) => prediction.Fallback is null ? "ok" : "fallback";

    /// <summary>The outcome label of a request that failed with <paramref name="exception"/>; client faults are told apart from the model's.</summary>
    public static string OutcomeOf(Exception exception) => exception switch
    {
        InvalidRequestException => "bad_request",
        ContractRejectedException => "contract_rejected",
        InputNotRunnableException => "input_not_runnable",
        FallbackExhaustedException => "invalid_output",
        _ => "error",
    };
}
