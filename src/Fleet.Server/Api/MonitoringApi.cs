using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Abstractions.Coordination;
using Fleet.Drift;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;
using Fleet.Monitoring.Quality;
using Fleet.Server.Monitoring;
using Fleet.Server.Hosting;
using Fleet.Server.Protocol;
using Microsoft.Extensions.Options;
using Fleet.Statistics;
using Fleet.Abstractions.Security;
using Fleet.Server.Security;

namespace Fleet.Server.Api;

/// <summary>
/// Drift, quality, feedback, retraining and export under <c>/api/v1</c>. Numbers that cannot be computed
/// (too little data) are JSON null, never NaN.
/// </summary>
internal static class MonitoringApi
{
    public static RouteGroupBuilder MapMonitoringApi(this RouteGroupBuilder api)
    {
        var models = api.MapGroup("/models/{name}").WithTags("Monitoring");
        models.MapGet("/drift", async (string name, string? version, int? history, IGrainFactory grains) =>
        {
            var v = await VersionOrLive(grains, name, version);
            return DriftJson(name, await Monitor(grains, name).GetDrift(v, history ?? 20));
        });
        models.MapPost("/drift/run", async (string name, IGrainFactory grains) =>
        {
            await VersionOrLive(grains, name, null, requireLive: false);
            var runs = await Monitor(grains, name).RunDetectors();
            return new JsonArray(runs.Select(r => (JsonNode)RunJson(name, r)).ToArray());
        }).Needs(AccessRole.Operate, "running the drift detectors");
        models.MapGet("/quality", async (string name, string? version, string? window, IGrainFactory grains) =>
        {
            var v = await VersionOrLive(grains, name, version);
            var span = Window(window, null);
            var monitor = Monitor(grains, name);
            var report = await monitor.GetQuality(v, span ?? (await grains.GetGrain<IModelGrain>(name).GetConfig()).MonitoringOrDefault.QualityWindow);
            return QualityJson(name, report);
        });
        models.MapGet("/retrain", async (string name, IGrainFactory grains) =>
        {
            await VersionOrLive(grains, name, null, requireLive: false);
            return await Monitor(grains, name).GetRetrainRequests();
        });
        models.MapPost("/retrain/ack", async (HttpContext context, string name, IGrainFactory grains) =>
        {
            await VersionOrLive(grains, name, null, requireLive: false);
            var body = await AdminApi.ReadAsync<AckRequest>(context, allowEmpty: true);
            return await Monitor(grains, name).AckRetrain(string.IsNullOrEmpty(body.Id) ? null : body.Id, AdminApi.Actor(context), body.Note);
        }).Needs(AccessRole.Operate, "acknowledging a retraining request");
        models.MapGet("/export", Export);

        api.MapGet("/retrain", async (IGrainFactory grains) =>
        {
            var names = await grains.GetGrain<IModelCatalogGrain>(IModelCatalogGrain.Key).List();
            var all = await Task.WhenAll(names.Select(n => Monitor(grains, n).GetRetrainRequests()));
            return all.SelectMany(r => r).OrderByDescending(r => r.OpenedAt).ToArray();
        }).WithTags("Monitoring");
        api.MapPost("/feedback", async (HttpContext context, FeedbackService feedback, IOptions<FleetOptions> options) =>
        {
            JsonElement body;
            try
            {
                // Through the bounded reader like every other body: Kestrel's own limit is off (Fleet's readers say which limit).
                using var bytes = await RequestBody.ReadAsync(context.Request, options.Value.MaxRequestBodyBytes, context.RequestAborted);
                body = JsonSerializer.Deserialize<JsonElement>(bytes.Span);
            }
            catch (JsonException ex)
            {
                throw new InvalidRequestException($"body: not valid JSON ({ex.Message})");
            }

            var (model, labels) = FeedbackService.Parse(body);
            if (!ModelNames.IsValidName(model))
            {
                throw new RegistryException(RegistryErrorKind.NotFound, $"model '{model}' not found");
            }

            return await feedback.AcceptAsync(model, labels, context.RequestAborted);
        }).WithTags("Monitoring").Needs(AccessRole.Ingest, "sending labels");
        api.MapGet("/signals", Signals).WithTags("Monitoring");
        return api;
    }

    /// <summary><c>GET /api/v1/signals?model=&amp;kind=&amp;since=&amp;limit=</c>: the signal stream, newest first (at most 1000 kept).</summary>
    private static async Task<FleetSignal[]> Signals(string? model, string? kind, string? since, int? limit, IGrainFactory grains, TimeProvider time)
    {
        var kinds = string.IsNullOrEmpty(kind) ? null : kind.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(k => Enum.GetValues<SignalKind>().Where(v => v.ToWire() == k).Select(v => (SignalKind?)v).FirstOrDefault()
                ?? throw new InvalidRequestException($"kind: '{k}' is not one of {string.Join(", ", Enum.GetValues<SignalKind>().Select(v => v.ToWire()))}"))
            .ToHashSet();
        var from = Window(since, "since") is { } span ? time.GetUtcNow() - span : (DateTimeOffset?)null;
        if (limit is < 1)
        {
            throw new InvalidRequestException($"limit: {limit} is not a positive integer");
        }

        var all = await grains.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).GetSignals(string.IsNullOrEmpty(model) ? null : model, int.MaxValue);
        return [.. all.Where(s => (kinds is null || kinds.Contains(s.Kind)) && (from is null || s.At >= from)).Take(limit ?? 100)];
    }

    private static async Task Export(HttpContext context, string name, string? version, string? since, IGrainFactory grains, IPredictionStore store, TimeProvider time)
    {
        var v = await VersionOrLive(grains, name, version);
        var span = Window(since, "since") ?? TimeSpan.FromHours(1);
        var from = time.GetUtcNow() - span;
        var records = await store.QueryAsync(name, v, from, context.RequestAborted);
        var labels = (await Monitor(grains, name).GetLabels(v, from)).ToDictionary(l => l.Id, StringComparer.Ordinal);

        var features = records.FirstOrDefault(r => r.HasFeatures)?.FeatureNames ?? [];
        var classes = records.Count == 0 ? 0 : records.Max(r => r.Probabilities is null ? 0 : r.ClassCount);
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers["Fleet-Export-Version"] = v;
        context.Response.Headers["Fleet-Export-Rows"] = records.Sum(r => r.Rows).ToString(CultureInfo.InvariantCulture);

        // Streamed a record at a time: an export of a day of traffic is not built in memory first.
        await using var csv = new StreamWriter(context.Response.Body, new UTF8Encoding(false), bufferSize: 64 * 1024);
        var line = new StringBuilder();
        line.Append("id,time,version");
        foreach (var f in features)
        {
            line.Append(',').Append(Csv(f));
        }

        line.Append(",prediction");
        for (var c = 0; c < classes; c++)
        {
            line.Append(",p_").Append(c);
        }

        await csv.WriteAsync(line.Append(",label\n"), context.RequestAborted);
        foreach (var record in records)
        {
            line.Clear();
            for (var r = 0; r < record.Rows; r++)
            {
                var id = record.Rows == 1 ? record.Id : $"{record.Id}#{r}";
                line.Append(Csv(id)).Append(',').Append(record.Time.ToString("O", CultureInfo.InvariantCulture)).Append(',').Append(Csv(record.Version));
                for (var f = 0; f < features.Length; f++)
                {
                    line.Append(',').Append(record.HasFeatures && record.FeatureNames.Length == features.Length ? Number(record.Feature(r, f)) : string.Empty);
                }

                line.Append(',').Append(record.Predicted[r] >= 0 ? record.Predicted[r].ToString(CultureInfo.InvariantCulture) : Number(record.Values[r]));
                for (var c = 0; c < classes; c++)
                {
                    line.Append(',').Append(record.Probabilities is { } p && c < record.ClassCount ? Number(p[(r * record.ClassCount) + c]) : string.Empty);
                }

                line.Append(',').Append(labels.TryGetValue(id, out var label) ? Number(label.Label) : string.Empty).Append('\n');
            }

            await csv.WriteAsync(line, context.RequestAborted);
        }
    }

    public static JsonObject DriftJson(string model, DriftHistory drift)
    {
        var latest = drift.Latest;
        var json = latest is null
            ? new JsonObject
            {
                ["model"] = model,
                ["version"] = drift.Version,
                ["overall"] = DriftVerdict.InsufficientData.ToWire(),
                ["checked_at"] = null,
                ["reason"] = "no detector run yet",
                ["reasons"] = new JsonArray(),
                ["window"] = new JsonObject { ["reference"] = drift.Reference?.Rows ?? 0, ["current"] = drift.WindowRows },
                ["features"] = new JsonArray(),
            }
            : RunJson(model, latest);
        json["reference"] = drift.Reference is { } r
            ? new JsonObject { ["source"] = r.Source, ["rows"] = r.Rows, ["labeled"] = r.Labeled, ["created_at"] = r.CreatedAt, ["pending_rows"] = r.Pending }
            : null;
        json["rows_in_window"] = drift.WindowRows;
        json["history"] = new JsonArray(drift.History.Select(h => (JsonNode)new JsonObject
        {
            ["checked_at"] = h.CheckedAt,
            ["overall"] = h.Report.Overall.ToWire(),
            ["drifted_share"] = Num(h.Report.DriftedShare),
            ["current"] = h.Report.CurrentCount,
            ["multivariate"] = h.Multivariate?.Verdict.ToString().ToLowerInvariant(),
            ["sequential_alarm"] = h.Sequential?.Alarm,
            ["quality"] = h.Quality?.Verdict.ToWire(),
        }).ToArray());
        return json;
    }

    public static JsonObject RunJson(string model, DriftRun run) => new()
    {
        ["model"] = model,
        ["version"] = run.Version,
        ["overall"] = run.Report.Overall.ToWire(),
        ["checked_at"] = run.CheckedAt,
        ["reason"] = run.Report.Reason,
        ["reasons"] = new JsonArray(run.Report.Reasons.Select(r => (JsonNode)r).ToArray()),
        ["reference_source"] = run.ReferenceSource,
        ["drifted_share"] = Num(run.Report.DriftedShare),
        ["window"] = new JsonObject { ["reference"] = run.Report.ReferenceCount, ["current"] = run.Report.CurrentCount },
        ["features"] = new JsonArray(run.Report.Features.Select(f => (JsonNode)new JsonObject
        {
            ["name"] = f.Name,
            ["kind"] = f.Kind == FeatureKind.Numeric ? "numeric" : "categorical",
            ["test"] = f.Test,
            ["statistic"] = Num(f.Statistic),
            ["p_value"] = Num(f.PValue),
            ["adjusted_p_value"] = Num(f.AdjustedPValue),
            ["effect_measure"] = f.EffectMeasure,
            ["effect_size"] = Num(f.EffectSize),
            ["psi"] = Num(f.Psi),
            ["verdict"] = f.Verdict.ToWire(),
            ["confirmation"] = f.Confirmation,
            ["reference_count"] = f.ReferenceCount,
            ["current_count"] = f.CurrentCount,
        }).ToArray()),
        ["multivariate"] = run.Multivariate is { } m ? new JsonObject
        {
            ["method"] = "pca_reconstruction",
            ["verdict"] = m.Verdict.ToString().ToLowerInvariant(),
            ["error"] = Num(m.Error),
            ["reference_error"] = Num(m.ReferenceError),
            ["lower"] = Num(m.Lower),
            ["upper"] = Num(m.Upper),
            ["components"] = m.Components,
            ["count"] = m.Count,
        } : null,
        ["sequential"] = run.Sequential is { } s ? new JsonObject
        {
            ["method"] = "cusum",
            ["alarm"] = s.Alarm,
            ["alarm_columns"] = new JsonArray(s.AlarmColumns.Select(c => (JsonNode)c!).ToArray()),
            ["max_statistic"] = Num(s.MaxStatistic),
            ["threshold"] = Num(s.Threshold),
            ["samples_seen"] = s.SamplesSeen,
        } : null,
        ["quality"] = run.Quality is { } q ? new JsonObject { ["verdict"] = q.Verdict.ToWire(), ["reason"] = q.Reason } : null,
        ["notes"] = new JsonArray(run.Notes.Select(n => (JsonNode)n).ToArray()),
    };

    public static JsonObject QualityJson(string model, QualityReport q) => new()
    {
        ["model"] = model,
        ["version"] = q.Version,
        ["checked_at"] = q.CheckedAt,
        ["window"] = q.Window.ToString(),
        ["labels_joined"] = q.LabelsJoined,
        ["labels_unknown"] = q.LabelsUnknown,
        ["accuracy"] = Num(q.Classification?.Accuracy),
        ["log_loss"] = Num(q.Classification?.LogLoss),
        ["f1"] = Num(q.Classification?.F1),
        ["mae"] = Num(q.Regression?.Mae),
        ["rmse"] = Num(q.Regression?.Rmse),
        ["estimated_accuracy"] = q.Estimated is { Verdict: not MonitorVerdict.InsufficientData } e ? Num(e.Accuracy) : null,
        ["estimated_accuracy_se"] = q.Estimated is { Verdict: not MonitorVerdict.InsufficientData } se ? Num(se.StandardError) : null,
        ["estimated_rows"] = q.Estimated?.Count,
        ["reference_accuracy"] = Num(q.ReferenceClassification?.Accuracy),
        ["reference_f1"] = Num(q.ReferenceClassification?.F1),
        ["reference_mae"] = Num(q.ReferenceRegression?.Mae),
        ["reference_rmse"] = Num(q.ReferenceRegression?.Rmse),
        ["calibration"] = q.Calibration is { } c
            ? new JsonObject { ["count"] = c.Count, ["ece_before"] = Num(c.EceBefore), ["ece_after"] = Num(c.EceAfter), ["calibrated"] = c.Calibrated }
            : null,
        ["verdict"] = q.Verdict.ToWire(),
        ["baseline"] = q.BaselineVersion is null ? null : new JsonObject
        {
            ["version"] = q.BaselineVersion,
            ["labels"] = q.BaselineClassification?.Count ?? q.BaselineRegression?.Count,
            ["accuracy"] = Num(q.BaselineClassification?.Accuracy),
            ["mae"] = Num(q.BaselineRegression?.Mae),
        },
        ["reason"] = q.Reason,
    };

    private static JsonNode? Num(double? value) => value is { } v && double.IsFinite(v) ? JsonValue.Create(v) : null;

    /// <summary>Shortest round-trip text; a value that came from an FP32 tensor prints as that float (17.99, not 17.989999771118164).</summary>
    private static string Number(double value) =>
        !double.IsFinite(value) ? string.Empty
        : (double)(float)value == value ? ((float)value).ToString("R", CultureInfo.InvariantCulture)
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Csv(string text) => text.IndexOfAny([',', '"', '\n', '\r']) < 0 ? text : $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static TimeSpan? Window(string? text, string? field)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return WindowParser.TryParse(text, out var span, out var error) ? span : throw new InvalidRequestException($"{field ?? "window"}: {error}");
    }

    private static IModelMonitorGrain Monitor(IGrainFactory grains, string name) => grains.GetGrain<IModelMonitorGrain>(name);

    private static async Task<string> VersionOrLive(IGrainFactory grains, string name, string? version, bool requireLive = true)
    {
        var info = ModelNames.IsValidName(name) ? await grains.GetGrain<IModelGrain>(name).TryGetInfo() : null;
        if (info is null)
        {
            throw new RegistryException(RegistryErrorKind.NotFound, $"model '{name}' not found");
        }

        if (!string.IsNullOrEmpty(version))
        {
            return info.Versions.Any(v => v.Version == version) ? version
                : throw new RegistryException(RegistryErrorKind.NotFound, $"version: model '{name}' has no version '{version}'");
        }

        return info.LiveVersion ?? (requireLive
            ? throw new RegistryException(RegistryErrorKind.Conflict, $"model '{name}' has no live version; name one with ?version=")
            : string.Empty);
    }

    private sealed class AckRequest
    {
        public string? Id { get; set; }

        public string? Note { get; set; }
    }
}
