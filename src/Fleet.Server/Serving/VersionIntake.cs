using Fleet.Inference;
using Fleet.Inference.Artifacts;
using Fleet.Inference.Onnx;
using Fleet.Contracts;
using Fleet.Guardrails;
using Fleet.Models;
using Fleet.Inference.Tensors;
using Fleet.Monitoring;
using Fleet.Server.Hosting;
using Fleet.Server.Monitoring;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Serving;

/// <summary>
/// Adds a version: checks the request against the registry first, streams the artifact into the store
/// (hashing it), opens the graph to prove it loads and read its signature, and only then registers it.
/// A refused upload leaves the registry untouched.
/// </summary>
internal sealed class VersionIntake(ArtifactStore store, IGrainFactory grains, IOptions<FleetOptions> options, TimeProvider time)
{
    // Signatures are read on CPU: the upload path must not depend on (or occupy) a GPU.
    private readonly OnnxSessionFactory _reader = new(new InferenceOptions { ExecutionProvider = ExecutionProviderPreference.Cpu });

    /// <summary>Adds a version; with a reference dataset (CSV with a header, or JSON lines) its contract is inferred from it.</summary>
    public async Task<(ModelVersionInfo Version, VersionContract Contract)> AddAsync(string model, Stream content, string? version, string note, string actor,
        ReferenceUpload? reference, CancellationToken cancellationToken)
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

        using (incoming)
        {
            if (incoming.SizeBytes == 0)
            {
                throw new RegistryException(RegistryErrorKind.Invalid, "file: the upload is empty; send the ONNX file as the request body or as the multipart field 'file'");
            }

            TensorSpec[] inputs, outputs;
            VersionContract contract;
            ReferenceProfile? profile;
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
                (contract, profile) = InferContract(info.Task, session, reference, time.GetUtcNow());
            }

            incoming.Commit();
            var added = await grain.AddVersion(new NewVersion(version, incoming.Sha256, incoming.SizeBytes, actor, note, inputs, outputs, contract));
            if (profile is not null)
            {
                await grains.GetGrain<IModelMonitorGrain>(model).SetReference(profile with { Version = added.Version });
            }

            return (added, contract);
        }
    }

    /// <summary>The contract and, with reference data, the drift reference profile (features, the model's outputs on them, labels).</summary>
    private static (VersionContract Contract, ReferenceProfile? Profile) InferContract(ModelTask task, OnnxModel session, ReferenceUpload? upload, DateTimeOffset now)
    {
        try
        {
            ReferenceData? reference = null;
            if (upload is not null)
            {
                using var text = new StreamReader(upload.Content);
                reference = upload.IsJsonLines
                    ? ContractInference.ReadJsonLines(text, upload.LabelColumn)
                    : ContractInference.ReadCsv(text, upload.LabelColumn);
            }

            Tensor[]? predictions = null;
            var contract = ContractInference.Infer(task, session.Inputs, session.Outputs, reference,
                data => predictions = ReferencePredictor.Predict(session, data), new ContractInferenceOptions());
            if (reference is null || contract.Input is null || session.Inputs.Count != 1)
            {
                return (contract, null);
            }

            predictions ??= ReferencePredictor.Predict(session, reference);
            return (contract, ReferenceProfiles.Build(string.Empty, contract, reference, predictions, now));
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
