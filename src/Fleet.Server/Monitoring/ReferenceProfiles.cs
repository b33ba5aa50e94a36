using Fleet.Abstractions.Contracts;
using Fleet.Drift;
using Fleet.Guardrails;
using Fleet.Inference.Tensors;
using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;

namespace Fleet.Server.Monitoring;

/// <summary>
/// Builds a version's drift reference from its uploaded reference data and the model's own outputs on it
/// (evenly sampled to <see cref="ReferenceProfile.MaxRows"/> rows). Features with a category set in the contract
/// are categorical (chi-square), the rest numeric (KS).
/// </summary>
internal static class ReferenceProfiles
{
    public static ReferenceProfile Build(string version, VersionContract contract, ReferenceData data, Tensor[] predictions, DateTimeOffset now)
    {
        var rows = Sample(data.RowCount, ReferenceProfile.MaxRows);
        var names = data.FeatureNames.ToArray();
        var rules = contract.Input?.Features ?? [];
        var kinds = names.Select(n => rules.FirstOrDefault(r => r.Name == n)?.Categories is not null ? FeatureKind.Categorical : FeatureKind.Numeric).ToArray();
        var columns = new double[names.Length][];
        for (var c = 0; c < names.Length; c++)
        {
            columns[c] = rows.Select(r => data.Values[(r * names.Length) + c]).ToArray();
        }

        var read = MonitorOutputs.ReadRows(contract, predictions, rows);
        var readings = read?.Readings ?? rows.Select(_ => new MonitorOutputs.Reading(-1, double.NaN, double.NaN)).ToArray();
        var classCount = read?.ClassCount ?? 0;
        return new ReferenceProfile(version, "upload", now, names, kinds, columns,
            readings.Select(r => r.Score).ToArray(),
            read is { Rule: var rule } ? MonitorOutputs.ScoreKind(rule, classCount) : FeatureKind.Numeric,
            readings.Select(r => r.Predicted).ToArray(),
            readings.Select(r => r.Confidence).ToArray(),
            data.Labels is { } labels && labels.All(double.IsFinite) ? rows.Select(r => labels[r]).ToArray() : null,
            classCount);
    }

    private static int[] Sample(int count, int max) =>
        count <= max ? Enumerable.Range(0, count).ToArray() : Enumerable.Range(0, max).Select(i => (int)((long)i * count / max)).ToArray();
}
