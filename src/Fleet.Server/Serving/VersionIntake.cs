using Fleet.Inference;
using Fleet.Inference.Artifacts;
using Fleet.Inference.Onnx;
using Fleet.Abstractions.Contracts;
using Fleet.Guardrails;
using Fleet.Abstractions.Models;
using Fleet.Inference.Tensors;
using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;
using Fleet.Monitoring.Quality;
using Fleet.Server.Health;
using Fleet.Server.Hosting;
using Fleet.Server.Monitoring;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Serving;

/// <summary>
/// Adds a version: checks the request against the registry first, streams the artifact into the store
/// (hashing it), opens the graph to prove it loads and read its signature, and only then registers it.
/// A refused upload leaves the registry untouched.
/// </summary>
internal sealed class VersionIntake(ArtifactStore store, IGrainFactory grains, IOptions<FleetOptions> options, IOptions<ProbeOptions> probes, TimeProvider time)
{
    // Signatures are read on CPU: the upload path must not depend on (or occupy) a GPU.
    private readonly OnnxSessionFactory _reader = new(new InferenceOptions { ExecutionProvider = ExecutionProviderPreference.Cpu });

    private VersionEvaluator? _evaluator;

    /// <summary>
    /// Adds a version; with a reference dataset (CSV with a header, or JSON lines) its contract is inferred from it.
    /// Its golden set comes from <paramref name="golden"/> (which the graph must reproduce), else from the first
    /// reference rows it can run; else it has none yet (<c>GoldenNone</c> says why) and the prober records one from live traffic.
    /// </summary>
    public async Task<(ModelVersionInfo Version, VersionContract Contract, GoldenSet? Golden, string? GoldenNone, string? EvaluationNone)> AddAsync(string model, Stream content, string? version, string note, string actor,
        ReferenceUpload? reference, GoldenUpload? golden, CancellationToken cancellationToken)
    {
        var grain = grains.GetGrain<IModelGrain>(model);
        var info = await grain.TryGetInfo() ?? throw new RegistryException(RegistryErrorKind.NotFound, $"model '{model}' not found");
        if (!string.IsNullOrEmpty(version))
        {
            ModelNames.ValidateVersion(version);
            if (info.Versions.Any(v => v.Version == version))
            {
                throw new RegistryException(RegistryErrorKind.Conflict, $"version: model '{model}' already has a version '{version}'");
            }
        }

        IncomingArtifact incoming;
        try
        {
            incoming = await store.ReceiveAsync(content, options.Value.MaxArtifactBytes, cancellationToken);
        }
        catch (ArtifactTooLargeException ex)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, $"file: {ex.Message}");
        }

        var goldenBytes = golden is null ? null : await GoldenFile.ReadBytesAsync(golden.Content, golden.MaxBytes, cancellationToken);
        using (incoming)
        {
            if (incoming.SizeBytes == 0)
            {
                throw new RegistryException(RegistryErrorKind.Invalid, "file: the upload is empty; send the ONNX file as the request body or as the multipart field 'file'");
            }

            TensorSpec[] inputs, outputs;
            VersionContract contract;
            ReferenceProfile? profile;
            ReferenceData? referenceData;
            Tensor[]? predictions;
            VersionEvaluation? evaluation = null;
            string? evaluationNone = null;
            GoldenSet? goldenSet;
            string? goldenNone;
            OnnxModel session;
            try
            {
                session = _reader.Open(incoming.TempPath);
            }
            catch (InferenceException ex)
            {
                // ORT names the temporary file; the client only knows its upload.
                throw new RegistryException(RegistryErrorKind.Invalid, $"file: {ex.Message.Replace(incoming.TempPath, "the uploaded file", StringComparison.Ordinal)}");
            }

            using (session)
            {
                inputs = session.Inputs.Select(ToSpec).ToArray();
                outputs = session.Outputs.Select(ToSpec).ToArray();
                (contract, profile, referenceData, predictions) = InferContract(info.Task, session, reference, options.Value.MaxReferenceRows, time.GetUtcNow());
                if (referenceData is not null && predictions is not null)
                {
                    (evaluation, evaluationNone) = await (_evaluator ??= new VersionEvaluator(store, _reader)).EvaluateAsync(grain, info, contract, referenceData, predictions);
                }

                // Reference rows make the golden set only when they describe the model's input (the contract says so).
                (goldenSet, goldenNone) = RecordGolden(model, session, contract, contract.Input is null ? null : referenceData, golden?.FileName, goldenBytes);
            }

            incoming.Commit();
            var added = await grain.AddVersion(new NewVersion(version, incoming.Sha256, incoming.SizeBytes, actor, note, inputs, outputs, contract, goldenSet, evaluation));
            if (profile is not null)
            {
                await grains.GetGrain<IModelMonitorGrain>(model).SetReference(profile with { Version = added.Version });
            }

            return (added, contract, goldenSet, goldenNone, evaluationNone);
        }
    }

    private (GoldenSet? Set, string? Why) RecordGolden(string model, OnnxModel session, VersionContract contract, ReferenceData? reference, string? goldenName, byte[]? goldenBytes)
    {
        var now = time.GetUtcNow();
        if (goldenBytes is not null)
        {
            return (GoldenFile.Read(goldenBytes, goldenName ?? "golden.json", session, model, now), null);
        }

        var p = probes.Value;
        var live = $"it is recorded from live traffic once {p.LiveGoldenRequests} live requests have succeeded on a host (Fleet:Probes:LiveGoldenRequests)";
        if (reference is null)
        {
            return (null, $"no golden file and no reference data describing the model's input; {live}");
        }

        var rule = MonitorOutputs.Primary(contract);
        (string, bool, int?)? classOutput = rule?.Kind is OutputKind.Probabilities or OutputKind.Labels ? (rule.Output, rule.Kind == OutputKind.Probabilities, rule.ClassCount) : null;
        var (set, why) = GoldenRecorder.FromReference(session, reference, p.GoldenRows, p.GoldenTolerance, p.GoldenRelativeTolerance, now, classOutput);
        return set is null ? (null, $"{why}; {live}") : (set, null);
    }

    /// <summary>The contract and, with reference data, the drift reference profile (features, the model's outputs on them, labels).</summary>
    private static (VersionContract Contract, ReferenceProfile? Profile, ReferenceData? Reference, Tensor[]? Predictions) InferContract(ModelTask task, OnnxModel session, ReferenceUpload? upload, int maxRows, DateTimeOffset now)
    {
        try
        {
            ReferenceData? reference = null;
            if (upload is not null)
            {
                using var text = new StreamReader(upload.Content);
                reference = upload.IsJsonLines
                    ? ContractInference.ReadJsonLines(text, upload.LabelColumn, maxRows)
                    : ContractInference.ReadCsv(text, upload.LabelColumn, maxRows);
            }

            Tensor[]? predictions = null;
            var contract = ContractInference.Infer(task, session.Inputs, session.Outputs, reference,
                data => predictions = ReferencePredictor.Predict(session, data), new ContractInferenceOptions());
            if (reference is null || contract.Input is null || session.Inputs.Count != 1)
            {
                return (contract, null, reference, null);
            }

            predictions ??= ReferencePredictor.Predict(session, reference);
            return (contract, ReferenceProfiles.Build(string.Empty, contract, reference, predictions, now), reference, predictions);
        }
        catch (ContractException ex)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, ex.Message);
        }
        catch (InferenceException ex)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, $"reference: the model failed on the reference rows: {ex.Message}");
        }
    }

    public static TensorSpec ToSpec(TensorSignature signature) =>
        new(signature.Name, signature.Datatype, signature.Shape, signature.DimNames);
}
