using System.Text.Json;
using Fleet.Abstractions.Contracts;
using Fleet.Guardrails;
using Fleet.Inference.Onnx;
using Fleet.Abstractions.Models;
using Fleet.Server.Health;
using Fleet.Server.Hosting;
using Fleet.Server.Protocol;
using Fleet.Server.Security;
using Fleet.Server.Serving;
using Fleet.Abstractions.Security;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Api;

/// <summary>
/// The registry under <c>/api/v1/models</c>: register, upload versions, promote, roll back, retire,
/// quarantine, audit. Each change needs the role its <c>Needs</c> names (<see cref="AccessPolicy"/>).
/// </summary>
internal static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this RouteGroupBuilder api)
    {
        var models = api.MapGroup("/models").WithTags("Registry");
        models.MapGet("", ListModels);
        models.MapPost("", RegisterModel).Needs(AccessRole.Admin, "registering a model");
        models.MapGet("/{name}", GetModel);
        models.MapGet("/{name}/versions", ListVersions);
        models.MapGet("/{name}/versions/{version}", GetVersion);
        models.MapPost("/{name}/versions", AddVersion).Needs(AccessRole.Admin, "uploading a version").WithMetadata(ArtifactBody.Instance);
        models.MapPost("/{name}/versions/{version}/promote", Promote).Needs(AccessRole.Operate, "promote");
        models.MapPost("/{name}/rollback", Rollback).Needs(AccessRole.Operate, "rollback");
        models.MapPost("/{name}/versions/{version}/retire", Retire).Needs(AccessRole.Operate, "retire");
        models.MapPost("/{name}/versions/{version}/quarantine", Quarantine).Needs(AccessRole.Operate, "quarantine");
        models.MapGet("/{name}/versions/{version}/contract", GetContract);
        models.MapPut("/{name}/versions/{version}/contract", SetContract).Needs(AccessRole.Operate, "setting a contract");
        models.MapGet("/{name}/versions/{version}/golden", GetGolden);
        models.MapPost("/{name}/versions/{version}/pin", Pin).Needs(AccessRole.Operate, "pin");
        models.MapPost("/{name}/unpin", Unpin).Needs(AccessRole.Operate, "unpin");
        models.MapGet("/{name}/config", GetConfig);
        models.MapPatch("/{name}/config", PatchConfig).Needs(AccessRole.Operate, "changing config");
        models.MapGet("/{name}/audit", GetAudit);
        return api;
    }

    private static Task<ModelInfo> GetModel(string name, IGrainFactory grains) => GetInfoAsync(grains, name);

    private static async Task<VersionList> ListVersions(string name, IGrainFactory grains)
    {
        var info = await GetInfoAsync(grains, name);
        return new VersionList(info.Name, info.Versions);
    }

    private static async Task<LifecycleChange> Promote(HttpContext context, string name, string version, IGrainFactory grains)
    {
        var body = await ReadAsync<ChangeRequest>(context, allowEmpty: true);
        return await Grain(grains, name).Promote(version, body.Reason ?? string.Empty, Actor(context), body.Force);
    }

    private static async Task<LifecycleChange> Rollback(HttpContext context, string name, IGrainFactory grains)
    {
        var body = await ReadAsync<RollbackRequest>(context, allowEmpty: true);
        return await Grain(grains, name).Rollback(string.IsNullOrEmpty(body.To) ? null : body.To, body.Quarantine, body.Reason ?? string.Empty, Actor(context));
    }

    private static async Task<ModelVersionInfo> Retire(HttpContext context, string name, string version, IGrainFactory grains)
    {
        var body = await ReadAsync<ChangeRequest>(context, allowEmpty: true);
        return await Grain(grains, name).Retire(version, body.Reason ?? string.Empty, Actor(context));
    }

    private static async Task<ModelVersionInfo> Quarantine(HttpContext context, string name, string version, IGrainFactory grains)
    {
        var body = await ReadAsync<ChangeRequest>(context, allowEmpty: true);
        return await Grain(grains, name).Quarantine(version, body.Reason ?? string.Empty, Actor(context));
    }

    private static Task<VersionContract> GetContract(string name, string version, IGrainFactory grains) => Grain(grains, name).GetContract(version);

    private static async Task<PinResponse> Pin(HttpContext context, string name, string version, IGrainFactory grains)
    {
        var body = await ReadAsync<ChangeRequest>(context, allowEmpty: true);
        return new PinResponse(name, await Grain(grains, name).Pin(version, body.Reason ?? string.Empty, Actor(context)), null);
    }

    private static async Task<PinResponse> Unpin(HttpContext context, string name, IGrainFactory grains)
    {
        var body = await ReadAsync<ChangeRequest>(context, allowEmpty: true);
        return new PinResponse(name, null, await Grain(grains, name).Unpin(body.Reason ?? string.Empty, Actor(context)));
    }

    private static async Task<object> GetConfig(string name, IGrainFactory grains) => ModelConfigPatch.ToJson(await Grain(grains, name).GetConfig());

    private static async Task<AuditLog> GetAudit(string name, IGrainFactory grains)
    {
        await GetInfoAsync(grains, name);
        return new AuditLog(name, await Grain(grains, name).GetAudit());
    }

    private static async Task<ModelList> ListModels(IGrainFactory grains)
    {
        var names = await grains.GetGrain<IModelCatalogGrain>(IModelCatalogGrain.Key).List();
        var infos = await Task.WhenAll(names.Select(n => grains.GetGrain<IModelGrain>(n).TryGetInfo()));
        return new ModelList(infos.OfType<ModelInfo>()
            .Select(i => new ModelSummary(i.Name, i.Task, i.Description, i.LiveVersion, i.Versions.Length, i.CreatedAt))
            .ToArray());
    }

    private static async Task<IResult> RegisterModel(HttpContext context, IGrainFactory grains)
    {
        var body = await ReadAsync<RegisterModelRequest>(context, allowEmpty: false);
        if (string.IsNullOrEmpty(body.Name))
        {
            throw new InvalidRequestException("name: missing");
        }

        ModelNames.ValidateName(body.Name);
        if (string.IsNullOrEmpty(body.Task))
        {
            throw new InvalidRequestException("task: missing (classification, regression, embedding or other)");
        }

        if (!Enum.TryParse<ModelTask>(body.Task, ignoreCase: true, out var task) || !Enum.IsDefined(task) || char.IsDigit(body.Task[0]))
        {
            throw new InvalidRequestException($"task: '{body.Task}' is not one of classification, regression, embedding, other");
        }

        var info = await Grain(grains, body.Name).Register(new ModelDefinition(body.Name, task, body.Description ?? string.Empty), Actor(context));
        return Results.Created($"/api/v1/models/{info.Name}", info);
    }

    /// <summary>The artifact comes as the raw body (application/octet-stream) or as multipart field <c>file</c>.</summary>
    private static async Task<IResult> AddVersion(HttpContext context, string name, VersionIntake intake, IGrainFactory grains)
    {
        var request = context.Request;
        string? version = request.Query["version"];
        string? note = request.Query["note"];
        (ModelVersionInfo Version, VersionContract Contract, GoldenSet? Golden, string? GoldenNone, string? EvaluationNone) added;
        if (request.HasFormContentType)
        {
            var fleet = context.RequestServices.GetRequiredService<IOptions<FleetOptions>>().Value;
            // Streamed section by section, spooled inside the data directory, the limit counted while the bytes arrive.
            await using var form = await UploadForm.ReadAsync(request, Path.Combine(fleet.ResolveDataDirectory(), "tmp"), fleet.MaxArtifactBytes, context.RequestAborted);
            version = form.Field("version") ?? version;
            note = form.Field("note") ?? note;
            var labelColumn = form.Field("label_column") is { Length: > 0 } l ? l : null;
            var file = form.File("file") ?? throw new InvalidRequestException("file: missing multipart field 'file' with the ONNX model");
            var referenceFile = form.File("reference");
            if (labelColumn is not null && referenceFile is null)
            {
                throw new InvalidRequestException("label_column: given without a 'reference' file");
            }

            var goldenFile = form.File("golden");
            var reference = referenceFile is { } r ? new ReferenceUpload(r.Content, r.FileName, labelColumn) : null;
            var golden = goldenFile is { } g ? new GoldenUpload(g.Content, Path.GetFileName(g.FileName), fleet.MaxRequestBodyBytes) : null;
            added = await intake.AddAsync(name, file.Content, NullIfEmpty(version), note ?? string.Empty, Actor(context), reference, golden, context.RequestAborted);
        }
        else
        {
            added = await intake.AddAsync(name, request.Body, NullIfEmpty(version), note ?? string.Empty, Actor(context), null, null, context.RequestAborted);
        }

        var promotion = PromotionSummary.Of(await Grain(grains, name).CheckPromotion(added.Version.Version));
        return Results.Created($"/api/v1/models/{name}/versions/{added.Version.Version}",
            new AddedVersion(added.Version, added.Contract, GoldenSummary.Of(added.Golden), added.GoldenNone, promotion) { EvaluationNone = added.EvaluationNone });
    }

    private static async Task<VersionDetails> GetVersion(string name, string version, IGrainFactory grains, IOptions<ProbeOptions> probes)
    {
        var grain = Grain(grains, name);
        var info = await grain.GetVersion(version);
        var golden = await grain.GetGolden(version);
        return new VersionDetails(info, GoldenSummary.Of(golden), golden is null ? GoldenSummary.None(probes.Value) : null,
            PromotionSummary.Of(await grain.CheckPromotion(version)));
    }

    /// <summary>The golden set in the golden-file format, so it can be saved and sent again with <c>--golden</c>.</summary>
    private static async Task<IResult> GetGolden(string name, string version, IGrainFactory grains, IOptions<ProbeOptions> probes)
    {
        var golden = await Grain(grains, name).GetGolden(version)
            ?? throw new RegistryException(RegistryErrorKind.NotFound, $"version: model '{name}' version '{version}' has no golden set yet: {GoldenSummary.None(probes.Value)}");
        return Results.Json(GoldenSummary.ToFile(name, version, golden));
    }

    private static async Task<VersionContract> SetContract(HttpContext context, string name, string version, IGrainFactory grains)
    {
        var grain = Grain(grains, name);
        var info = await grain.GetVersion(version);
        var contract = await ReadAsync<VersionContractBody>(context, allowEmpty: false);
        var parsed = contract.ToContract();
        try
        {
            ContractInference.ValidateAgainstSignature(parsed,
                info.Inputs.Select(ToSignature).ToArray(), info.Outputs.Select(ToSignature).ToArray());
        }
        catch (ContractException ex)
        {
            throw new InvalidRequestException(ex.Message);
        }

        return await grain.SetContract(version, parsed, Actor(context));
    }

    private static async Task<object> PatchConfig(HttpContext context, string name, IGrainFactory grains)
    {
        var grain = Grain(grains, name);
        var info = await GetInfoAsync(grains, name);
        var patch = await ReadAsync<JsonElementBody>(context, allowEmpty: false);
        var config = ModelConfigPatch.Apply(await grain.GetConfig(), patch.Value);
        if (config.FallbackDefault is { } json && info.LiveVersion is { } live
            && DefaultResponse.Validate(json, info.Versions.Single(v => v.Version == live).Outputs.Select(ToSignature).ToArray()) is { } error)
        {
            throw new InvalidRequestException(error);
        }

        var saved = await grain.SetConfig(config, Actor(context));
        // The monitor's timer period and window size follow now, not at its next run.
        await grains.GetGrain<Fleet.Abstractions.Monitoring.IModelMonitorGrain>(name).ApplySettings(saved.MonitoringOrDefault);
        return ModelConfigPatch.ToJson(saved);
    }

    private static TensorSignature ToSignature(TensorSpec spec) => new(spec.Name, spec.Datatype, spec.Shape, spec.DimNames);

    private static IModelGrain Grain(IGrainFactory grains, string name)
    {
        if (!ModelNames.IsValidName(name))
        {
            throw new RegistryException(RegistryErrorKind.NotFound, $"model '{name}' not found");
        }

        return grains.GetGrain<IModelGrain>(name);
    }

    private static async Task<ModelInfo> GetInfoAsync(IGrainFactory grains, string name) =>
        await Grain(grains, name).TryGetInfo() ?? throw new RegistryException(RegistryErrorKind.NotFound, $"model '{name}' not found");

    internal static Task<T> ReadAsync<T>(HttpContext context, bool allowEmpty) where T : new() =>
        JsonBody.ReadAsync<T>(context, context.RequestServices.GetRequiredService<IOptions<FleetOptions>>().Value.MaxRequestBodyBytes, allowEmpty);

    /// <summary>Who acts, for the audit log: the token's name, with the client's <c>Fleet-Actor</c> beside it as a note.</summary>
    internal static string Actor(HttpContext context) => AccessContext.Actor(context);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
