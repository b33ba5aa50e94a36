using System.Globalization;
using System.Text.Json;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;
using Fleet.Server.Protocol;

namespace Fleet.Server.Monitoring;

/// <summary>
/// Joins ground-truth labels with the predictions they belong to (by prediction id, <c>ID#ROW</c> for a row of
/// a batch) and hands them to the model's monitor grain. The whole batch is checked before anything is stored:
/// a bad label refuses the batch (400 naming it), an id that matches nothing kept is counted as unknown.
/// </summary>
internal sealed class FeedbackService(IPredictionStore store, IGrainFactory grains, TimeProvider time)
{
    public async Task<FeedbackResult> AcceptAsync(string model, IReadOnlyList<LabelInput> labels, CancellationToken cancellationToken)
    {
        if (await grains.GetGrain<IModelGrain>(model).TryGetInfo() is null)
        {
            throw new RegistryException(RegistryErrorKind.NotFound, $"model '{model}' not found");
        }

        var parsed = labels.Select(l => PredictionRecord.ParseLabelId(l.Id)).ToArray();
        var found = await store.FindAsync(parsed.Select(p => p.Id).Distinct(StringComparer.Ordinal).ToArray(), cancellationToken);
        var records = found.OfType<PredictionRecord>().ToDictionary(r => r.Id, StringComparer.Ordinal);

        var now = time.GetUtcNow();
        var joined = new List<LabeledPrediction>();
        var unknown = new List<string>();
        for (var i = 0; i < labels.Count; i++)
        {
            var (id, row) = parsed[i];
            if (!records.TryGetValue(id, out var record) || record.Model != model)
            {
                unknown.Add(labels[i].Id);
                continue;
            }

            if (row < 0 && record.Rows != 1)
            {
                throw new InvalidRequestException($"labels[{i}].id: prediction '{id}' has {record.Rows} rows; label each as {id}#0 .. {id}#{record.Rows - 1}");
            }

            row = Math.Max(row, 0);
            if (row >= record.Rows)
            {
                unknown.Add(labels[i].Id);
                continue;
            }

            var label = labels[i].Label;
            if (record.Predicted[row] >= 0)
            {
                var classes = record.Probabilities is null ? 0 : record.ClassCount;
                if (label < 0 || label != Math.Floor(label) || (classes > 0 && label >= classes))
                {
                    throw new InvalidRequestException(
                        $"labels[{i}].label: {label.ToString(CultureInfo.InvariantCulture)} is not a class index of model '{model}' (expected an integer in 0..{(classes > 0 ? classes - 1 : "K-1")})");
                }
            }

            joined.Add(new LabeledPrediction(labels[i].Id, record.Version, record.Time, now, label, record.Predicted[row], record.Values[row], record.ProbabilitiesOf(row)));
        }

        await grains.GetGrain<IModelMonitorGrain>(model).AddLabels([.. joined], unknown.Count);
        return new FeedbackResult(model, labels.Count, joined.Count, unknown.Count,
            joined.GroupBy(j => j.Version).ToDictionary(g => g.Key, g => g.Count()), unknown.Take(20).ToArray());
    }

    /// <summary>Labels per request at most: a batch is checked and joined whole, in memory.</summary>
    public const int MaxLabelsPerBatch = 10_000;

    /// <summary>Reads <c>{"model": "...", "labels": [{"id": "...", "label": 1}, ...]}</c>, naming the field at fault.</summary>
    public static (string Model, List<LabelInput> Labels) Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidRequestException("body: expected {\"model\": \"NAME\", \"labels\": [{\"id\": \"...\", \"label\": 1}, ...]}");
        }

        var model = body.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : null;
        if (string.IsNullOrEmpty(model))
        {
            throw new InvalidRequestException("model: missing (the model the labels are for)");
        }

        if (!body.TryGetProperty("labels", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidRequestException("labels: missing or not an array of {\"id\", \"label\"} objects");
        }

        if (array.GetArrayLength() > MaxLabelsPerBatch)
        {
            throw new InvalidRequestException(
                $"labels: {array.GetArrayLength()} in one batch, at most {MaxLabelsPerBatch} (send them in batches; a version keeps its newest 20000)");
        }

        var labels = new List<LabelInput>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var id = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            if (string.IsNullOrEmpty(id))
            {
                throw new InvalidRequestException($"labels[{index}].id: missing or not a string");
            }

            if (!item.TryGetProperty("label", out var l))
            {
                throw new InvalidRequestException($"labels[{index}].label: missing");
            }

            var text = l.ValueKind == JsonValueKind.String ? l.GetString() : l.GetRawText();
            if (l.ValueKind is not (JsonValueKind.Number or JsonValueKind.String)
                || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw new InvalidRequestException($"labels[{index}].label: '{text}' is not a finite number (classifiers: the class index)");
            }

            labels.Add(new LabelInput(id, value));
            index++;
        }

        if (labels.Count == 0)
        {
            throw new InvalidRequestException("labels: empty");
        }

        return (model, labels);
    }
}

internal sealed record LabelInput(string Id, double Label);

internal sealed record FeedbackResult(string Model, int Received, int Joined, int Unknown, Dictionary<string, int> Versions, string[] UnknownIds);
