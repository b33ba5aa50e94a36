using System.Text.Json;
using Fleet.Abstractions.Models;
using Fleet.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Serving;

/// <summary>
/// Registers the bundled sample models (samples/*/model.json + model.onnx) and makes their version live,
/// once: an existing model or version is left as the user left it. Several silos may seed at once;
/// the grain serialises them and the loser's "already exists" is expected.
/// </summary>
internal sealed partial class SampleModelSeeder(
    VersionIntake intake,
    IGrainFactory grains,
    IOptions<FleetOptions> options,
    ILogger<SampleModelSeeder> logger)
{
    private const string Actor = "fleet-samples";

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.SampleModels)
        {
            return;
        }

        var root = options.Value.ResolveSamplesDirectory();
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Fleet:SamplesDirectory '{root}' does not exist (set Fleet:SampleModels=false to start without samples)");
        }

        foreach (var manifestPath in Directory.EnumerateFiles(root, "model.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var manifest = JsonSerializer.Deserialize<SampleManifest>(await File.ReadAllTextAsync(manifestPath, cancellationToken), JsonOptions)
                ?? throw new InvalidDataException($"{manifestPath} is empty");
            try
            {
                await SeedOneAsync(manifest, Path.Combine(Path.GetDirectoryName(manifestPath)!, "model.onnx"), cancellationToken);
            }
            catch (RegistryException ex) when (ex.Kind == RegistryErrorKind.Invalid)
            {
                // Refused by this server's own limits or checks: say which sample, and how to start without it.
                throw new InvalidDataException($"sample model '{manifest.Name}' version '{manifest.Version}' was refused: {ex.Message} (set Fleet:SampleModels=false to start without the samples)", ex);
            }
        }
    }

    private async Task SeedOneAsync(SampleManifest manifest, string onnxPath, CancellationToken cancellationToken)
    {
        var grain = grains.GetGrain<IModelGrain>(manifest.Name);
        var info = await grain.TryGetInfo();
        if (info is null)
        {
            if (!Enum.TryParse<ModelTask>(manifest.Task, ignoreCase: true, out var task))
            {
                throw new InvalidDataException($"sample '{manifest.Name}': task '{manifest.Task}' is not one of classification, regression, embedding, other");
            }

            await Tolerate(() => grain.Register(new ModelDefinition(manifest.Name, task, manifest.Description), Actor));
            info = await grain.TryGetInfo();
        }

        if (info!.Versions.All(v => v.Version != manifest.Version))
        {
            await using var file = File.OpenRead(onnxPath);
            // The reference data makes the sample's input contract (ranges, missing values, outlier scale).
            // Labeled when the sample ships labels: its drift reference then carries reference quality and calibration.
            var labeledPath = Path.Combine(Path.GetDirectoryName(onnxPath)!, "reference_labeled.csv");
            var referencePath = File.Exists(labeledPath) ? labeledPath : Path.Combine(Path.GetDirectoryName(onnxPath)!, "reference.csv");
            await using var referenceFile = File.Exists(referencePath) ? File.OpenRead(referencePath) : null;
            var reference = referenceFile is null ? null
                : new ReferenceUpload(referenceFile, Path.GetFileName(referencePath), referencePath == labeledPath ? "target" : null);
            // The sample's committed golden file is its golden set: the probes check every host still reproduces it.
            var goldenPath = Path.Combine(Path.GetDirectoryName(onnxPath)!, "golden.json");
            await using var goldenFile = File.Exists(goldenPath) ? File.OpenRead(goldenPath) : null;
            var golden = goldenFile is null ? null : new GoldenUpload(goldenFile, "golden.json", long.MaxValue);
            await Tolerate(() => intake.AddAsync(manifest.Name, file, manifest.Version, "bundled sample model", Actor, reference, golden, cancellationToken));
            info = await grain.TryGetInfo();
        }

        if (info!.LiveVersion is null && info.Versions.Single(v => v.Version == manifest.Version).State == VersionState.Staged)
        {
            await Tolerate(() => grain.Promote(manifest.Version, "bundled sample model", Actor));
            LogSeeded(manifest.Name, manifest.Version);
        }
    }

    /// <summary>Another silo seeding the same sample wins the race: its result is as good as ours.</summary>
    private static async Task Tolerate<T>(Func<Task<T>> action)
    {
        try
        {
            await action();
        }
        catch (RegistryException ex) when (ex.Kind == RegistryErrorKind.Conflict)
        {
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    private sealed record SampleManifest(string Name, string Task, string Description, string Version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded sample model {Model} version {Version}")]
    private partial void LogSeeded(string model, string version);
}
