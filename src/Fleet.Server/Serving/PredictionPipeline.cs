using Fleet.Abstractions.Contracts;
using Fleet.Guardrails;
using Fleet.Inference;
using Fleet.Inference.Tensors;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Statistics;
using Fleet.Server.Monitoring;
using Fleet.Server.Protocol;
using Fleet.Server.Statistics;
using Fleet.Statistics;
using Microsoft.Extensions.Options;
using Fleet.Server.Telemetry;

namespace Fleet.Server.Serving;

/// <summary>
/// One request through a loaded version: parse, input contract, ONNX Runtime, output contract, and on
/// an output violation or runtime error the model's fallback chain (last-known-good → configured default
/// → 503). Statistics are recorded in process (<see cref="StatsCollector"/>); nothing here calls a grain.
/// </summary>
internal sealed class PredictionPipeline(ModelHost host, StatsCollector stats, PredictionTap tap, FleetMetrics metrics, TimeProvider time, IOptions<SupervisionOptions> supervisionOptions)
{
    public const string LastKnownGood = "last-known-good";
    public const string Default = "default";

    private readonly SupervisionOptions supervision = supervisionOptions.Value;

    /// <summary>
    /// Runs <paramref name="served"/> under supervision. <paramref name="acquiredAsLive"/>: the request asked for the live
    /// version (not one by id), so a broken answer goes down the fallback chain even if a rollback or promotion swapped
    /// <paramref name="served"/> out while the request ran.
    /// </summary>
    public Prediction Predict(ServedModel served, ReadOnlySpan<byte> body, ModelConfig config, bool acquiredAsLive)
    {
        var started = time.GetTimestamp();
        InferRequest request;
        try
        {
            request = InferRequestReader.Read(body, served.Model, served.Version, served.InputsByName, served.OutputNames);
        }
        catch (InvalidRequestException)
        {
            stats.For(served).RecordError(ErrorKinds.BadInput);
            throw;
        }

        return Predict(served, request, body, config, acquiredAsLive, started);
    }

    /// <summary>
    /// The supervised path for a parsed request (the benchmark calls this directly). <paramref name="body"/> is
    /// read again only if the last-known-good version has a different signature.
    /// </summary>
    public Prediction Predict(ServedModel served, InferRequest request, ReadOnlySpan<byte> body, ModelConfig config, bool acquiredAsLive, long started)
    {
        if (!supervision.Enabled)
        {
            return Unsupervised(served, request);
        }

        var recorder = stats.For(served);
        var guards = served.Guards;
        var input = CheckInput(served, guards, request, config, recorder);
        var (outputs, failure, clientError, failureKind) = RunChecked(served, guards, request.Inputs, request.RequestedOutputs, recorder);
        if (clientError is not null)
        {
            // The input's fault: no fallback (another version would hide nothing and prove nothing), a 422 naming the input.
            throw new InputNotRunnableException(clientError);
        }

        var id = request.Id ?? NewId();
        if (failure is null)
        {
            ServedStats.Record(recorder, guards, request.Inputs, outputs!, time, started);
            tap.Capture(served, guards, id, request.Inputs, outputs!);
            if (served.NeedsGolden && acquiredAsLive)
            {
                served.OfferGoldenCandidate(request.Inputs);
            }

            return new Prediction(served.Model, served.Version, id, served.Session.Provider.Name, outputs!, null,
                input.Total, input.Violations, input.OutlierRows);
        }

        // The request counted against the version: its id goes with the statistics, so the serving signal can name it.
        stats.AddSample(served, failureKind, id);
        stats.AddSample(served, SampleKind.Fallback, id);
        if (!acquiredAsLive && !host.IsLive(served))
        {
            // A version asked for by id answers for itself: falling back would hide that it is broken.
            recorder.RecordFallback("none");
            throw new FallbackExhaustedException($"{failure}; no fallback for a version requested by id (the chain applies to the live version)");
        }

        return Fallback(served, body, request, id, config, failure, recorder, input, started);
    }

    /// <summary>With Fleet:Supervision:Enabled=false: run and answer, nothing else (for comparisons).</summary>
    private static Prediction Unsupervised(ServedModel served, InferRequest request)
    {
        var outputs = served.Session.Run(request.Inputs, request.RequestedOutputs);
        // Even unsupervised, NaN or Infinity is never sent (JSON cannot carry it either): 503.
        InferResponseWriter.EnsureFinite(served.Model, served.Version, outputs);
        return new Prediction(served.Model, served.Version, request.Id ?? NewId(), served.Session.Provider.Name, outputs, null, 0, [], []);
    }

    private static InputResult CheckInput(ServedModel served, VersionGuards guards, InferRequest request, ModelConfig config, VersionStatsRecorder recorder)
    {
        if (guards.Input is null || guards.Contract?.Input is not { } contract)
        {
            return InputResult.None;
        }

        var tensor = Find(request.Inputs, contract.Input);
        if (tensor is null)
        {
            return InputResult.None;
        }

        if (tensor.Shape.Length != 2 || tensor.Shape[1] != guards.FeatureNames.Length)
        {
            // The graph may leave the width dynamic; the contract does not.
            recorder.RecordError(ErrorKinds.BadInput);
            throw new InvalidRequestException(
                $"input '{contract.Input}': shape {InferRequestReader.FormatShape(tensor.Shape)} does not match the contract's {guards.FeatureNames.Length} features per row");
        }

        var check = guards.Input.Check(tensor, ModesFor(config));
        if (check.OutlierRows.Length > 0)
        {
            recorder.RecordOutliers(check.OutlierRows.Length);
        }

        foreach (var (rule, count) in check.CountsByRule)
        {
            recorder.RecordViolation(rule, count);
        }

        if (check.Reject)
        {
            recorder.RecordError(ErrorKinds.InputRejected);
            // The first violation in the message itself, by feature name: a client that shows only "error" still learns what to fix.
            var first = check.Violations.FirstOrDefault(v => v.Rule is not Rules.Imputed);
            throw new ContractRejectedException(
                $"input contract: {check.ViolationCount} violation(s) in input '{contract.Input}' of model '{served.Model}' version '{served.Version}'" +
                (first is null ? string.Empty : $"; first: feature '{first.Feature}' (input '{first.Input}', index {first.Column}, row {first.Row}): {first.Detail}"),
                check.Violations, check.ViolationCount);
        }

        return check.IsClean ? InputResult.None : new InputResult(check.ViolationCount, check.Violations, check.OutlierRows);
    }

    /// <summary>
    /// Runs the version and checks its output. A run-time error is judged first (<see cref="FaultAttribution"/>): the
    /// input's fault comes back as <c>ClientError</c> and counts as a client error only; the version's as <c>Failure</c>.
    /// </summary>
    private (Tensor[]? Outputs, string? Failure, string? ClientError, SampleKind FailureKind) RunChecked(ServedModel served, VersionGuards guards, Tensor[] inputs,
        string[]? requested, VersionStatsRecorder recorder)
    {
        Tensor[] outputs;
        try
        {
            outputs = served.Session.Run(inputs, requested);
        }
        catch (InferenceException ex)
        {
            var (fault, why) = FaultAttribution.Judge(served, inputs, ex, time);
            if (fault == Fault.Client)
            {
                recorder.RecordError(ErrorKinds.InputNotRunnable);
                return (null, null, $"{FaultAttribution.Describe(served, inputs, ex)} (the input's fault: {why})", default);
            }

            recorder.RecordError(ErrorKinds.RuntimeError);
            return (null, $"version {served.Version} failed at run time: {ex.Message} (the version's fault: {why})", null, SampleKind.ModelError);
        }

        served.Shapes.Record(inputs);
        var check = guards.Output.Check(outputs);
        if (check.Ok)
        {
            return (outputs, null, null, default);
        }

        foreach (var (rule, count) in check.CountsByRule)
        {
            recorder.RecordViolation(rule, count);
        }

        if (HasMissing(inputs))
        {
            // The client sent missing values the contract let through (input_missing flag/off, or no contract): a broken
            // answer to them is the input's doing, not evidence against the version.
            recorder.RecordError(ErrorKinds.InputNotRunnable);
            return (null, null, $"model '{served.Model}' version '{served.Version}' cannot answer this input: it has missing values (null) and the answer broke the " +
                $"output contract ({check.Summary}); send every value, or set input_missing=reject or impute", default);
        }

        recorder.RecordError(ErrorKinds.OutputViolation);
        return (null, $"version {served.Version} broke its output contract: {check.Summary}", null, SampleKind.OutputViolation);
    }

    private Prediction Fallback(ServedModel served, ReadOnlySpan<byte> body, InferRequest request, string id, ModelConfig config, string failure,
        VersionStatsRecorder recorder, InputResult input, long started)
    {
        var notes = new List<string>();
        foreach (var step in config.Fallback)
        {
            switch (step)
            {
                case FallbackStep.LastKnownGood:
                    if (TryLastKnownGood(served, body, request, id, failure, notes, started, out var prediction, input))
                    {
                        recorder.RecordFallback(LastKnownGood);
                        metrics.RecordFallback(served.Model, served.Version, LastKnownGood);
                        return prediction!;
                    }

                    break;
                case FallbackStep.Default when config.FallbackDefault is { } json && DefaultResponse.Validate(json, served.Session.Outputs) is { } invalid:
                    notes.Add($"default not usable for version {served.Version} ({invalid})");
                    break;
                case FallbackStep.Default when config.FallbackDefault is { } json:
                    var rows = request.Inputs.Length > 0 && request.Inputs[0].Shape.Length > 0 ? (int)request.Inputs[0].Shape[0] : 1;
                    var outputs = DefaultResponse.Build(json, rows, served.Session.Outputs, request.RequestedOutputs);
                    InferResponseWriter.EnsureFinite(served.Model, Default, outputs); // e.g. 1e39 in an FP32 output

                    recorder.RecordFallback(Default);
                    metrics.RecordFallback(served.Model, served.Version, Default);
                    return new Prediction(served.Model, Default, id, "none", outputs,
                        $"{failure}; served the configured default", input.Total, input.Violations, input.OutlierRows);
                case FallbackStep.Default:
                    notes.Add("no default configured");
                    break;
                case FallbackStep.Error:
                    return Exhausted(served, failure, notes, recorder);
            }
        }

        return Exhausted(served, failure, notes, recorder);
    }

    private bool TryLastKnownGood(ServedModel served, ReadOnlySpan<byte> body, InferRequest request, string id, string failure, List<string> notes,
        long started, out Prediction? prediction, InputResult input)
    {
        prediction = null;
        if (!host.TryAcquireFallbackFor(served, out var lease, out var nowLive))
        {
            notes.Add("no last-known-good version loaded");
            return false;
        }

        using (lease)
        {
            var fallback = lease.Model;
            var fallbackRecorder = stats.For(fallback);
            InferRequest fallbackRequest;
            try
            {
                fallbackRequest = SameInputs(served, fallback)
                    ? request
                    : InferRequestReader.Read(body, fallback.Model, fallback.Version, fallback.InputsByName, fallback.OutputNames);
            }
            catch (InvalidRequestException ex)
            {
                notes.Add($"last-known-good version {fallback.Version} cannot take this request ({ex.Message})");
                return false;
            }

            var guards = fallback.Guards;
            var (outputs, fallbackFailure, fallbackClientError, fallbackKind) = RunChecked(fallback, guards, fallbackRequest.Inputs, fallbackRequest.RequestedOutputs, fallbackRecorder);
            if (fallbackFailure is not null)
            {
                stats.AddSample(fallback, fallbackKind, id);
            }

            if (fallbackFailure is not null || fallbackClientError is not null)
            {
                notes.Add($"last-known-good {fallbackFailure ?? fallbackClientError}");
                return false;
            }

            ServedStats.Record(fallbackRecorder, guards, fallbackRequest.Inputs, outputs!, time, started);
            tap.Capture(fallback, guards, id, fallbackRequest.Inputs, outputs!);
            prediction = new Prediction(fallback.Model, fallback.Version, id, fallback.Session.Provider.Name, outputs!,
                nowLive
                    ? $"{failure}; served version {fallback.Version}, live since this request began"
                    : $"{failure}; served last-known-good version {fallback.Version}", input.Total, input.Violations, input.OutlierRows);
            return true;
        }
    }

    private Prediction Exhausted(ServedModel served, string failure, List<string> notes, VersionStatsRecorder recorder)
    {
        recorder.RecordFallback("none");
        metrics.RecordFallback(served.Model, served.Version, "none");
        throw new FallbackExhaustedException(notes.Count == 0
            ? $"{failure}; no fallback configured"
            : $"{failure}; fallback chain exhausted ({string.Join("; ", notes)})");
    }

    /// <summary>Whether a float input holds a missing value (NaN, sent as null). Only on the failure path.</summary>
    private static bool HasMissing(Tensor[] inputs)
    {
        foreach (var input in inputs)
        {
            var missing = input.Data switch
            {
                float[] f => Array.Exists(f, float.IsNaN),
                double[] d => Array.Exists(d, double.IsNaN),
                _ => false,
            };
            if (missing)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A loop, not Array.Find with a lambda: this runs several times per request and a capturing lambda allocates.</summary>
    internal static Tensor? Find(Tensor[] tensors, string name)
    {
        foreach (var tensor in tensors)
        {
            if (tensor.Name == name)
            {
                return tensor;
            }
        }

        return null;
    }

    private static bool SameInputs(ServedModel a, ServedModel b) =>
        a.InputsByName.Count == b.InputsByName.Count && a.InputsByName.All(kv =>
            b.InputsByName.TryGetValue(kv.Key, out var other) && other.Datatype == kv.Value.Datatype && other.Shape.SequenceEqual(kv.Value.Shape));

    /// <summary>The guard modes of a config, made once per pushed config (configs are replaced, never mutated).</summary>
    private static InputModes ModesFor(ModelConfig config) => ModesCache.GetValue(config, static c => new InputModes
    {
        RangeMode = Map(c.InputContract),
        MissingMode = Map(c.InputMissing),
        OutlierThreshold = c.OutlierThreshold,
    });

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ModelConfig, InputModes> ModesCache = new();

    private static GuardMode Map(EnforcementMode mode) => mode switch
    {
        EnforcementMode.Reject => GuardMode.Reject,
        EnforcementMode.Flag => GuardMode.Flag,
        EnforcementMode.Impute => GuardMode.Impute,
        _ => GuardMode.Off,
    };

    private static string NewId() => Guid.NewGuid().ToString("N");

    private sealed record InputResult(int Total, IReadOnlyList<Violation> Violations, int[] OutlierRows)
    {
        public static readonly InputResult None = new(0, [], []);
    }
}
