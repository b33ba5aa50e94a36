using Fleet.Contracts;
using Fleet.Guardrails;
using Fleet.Inference;
using Fleet.Inference.Artifacts;
using Fleet.Inference.Onnx;
using Fleet.Inference.Tensors;
using Fleet.Models;
using Fleet.Monitoring.Quality;
using Fleet.Server.Monitoring;

namespace Fleet.Server.Serving;

/// <summary>
/// The promotion gate's evidence, gathered at upload: the new version's quality on its labelled reference rows
/// and the live version's on the same rows (its artifact opened on CPU and run over them), so the comparison is
/// paired. Without labels there is nothing to evaluate (null); a live version that cannot run the rows is said
/// in <see cref="VersionEvaluation.LiveNote"/>, never silently skipped.
/// </summary>
internal sealed class VersionEvaluator(ArtifactStore store, OnnxSessionFactory reader)
{
    public async Task<VersionEvaluation?> EvaluateAsync(IModelGrain grain, ModelInfo info, VersionContract contract, ReferenceData data, Tensor[] predictions)
    {
        if (data.Labels is not { } labels || !labels.All(double.IsFinite) || Read(contract, predictions, data.RowCount) is not { } candidate)
        {
            return null;
        }

        var classes = candidate.ClassCount;
        if (classes > 0 ? !labels.All(l => l == Math.Floor(l) && l >= 0 && l < classes) || !candidate.Predicted.All(p => p >= 0 && p < classes)
                        : !candidate.Scores.All(double.IsFinite))
        {
            return null; // labels that are not class indices, or answers the output contract already refused: nothing to score
        }

        var (live, note) = await RunLiveAsync(grain, info, data, candidate.ClassCount);
        return candidate.ClassCount > 0
            ? ReferenceEvaluation.Classification(labels.Select(l => (int)l).ToArray(), candidate.Predicted, candidate.ClassCount,
                live is null ? null : (live.Value.Version, live.Value.Answers.Predicted), note)
            : ReferenceEvaluation.Regression(labels, candidate.Scores, live is null ? null : (live.Value.Version, live.Value.Answers.Scores), note);
    }

    private async Task<((string Version, Answers Answers)? Live, string? Note)> RunLiveAsync(IModelGrain grain, ModelInfo info, ReferenceData data, int classCount)
    {
        if (info.LiveVersion is not { } version)
        {
            return (null, "no live version to compare with");
        }

        var live = info.Versions.First(v => v.Version == version);
        if (!store.Contains(live.Sha256))
        {
            return (null, $"live version '{version}' is not in this host's artifact store (sha256 {live.Sha256}): not compared");
        }

        var contract = await grain.GetContract(version);
        try
        {
            using var session = reader.Open(store.PathFor(live.Sha256));
            var answers = Read(contract, ReferencePredictor.Predict(session, data), data.RowCount);
            if (answers is null || answers.Value.ClassCount != classCount)
            {
                return (null, $"live version '{version}' answers in another form ({answers?.ClassCount ?? 0} classes against {classCount}): not compared");
            }

            return ((version, answers.Value), null);
        }
        catch (InferenceException ex)
        {
            return (null, $"live version '{version}' cannot run these reference rows ({ex.Message}): not compared");
        }
    }

    private static Answers? Read(VersionContract contract, Tensor[] predictions, int rows)
    {
        var rule = MonitorOutputs.Primary(contract);
        var output = rule is null ? null : Array.Find(predictions, t => t.Name == rule.Output);
        if (rule is null || output is null)
        {
            return null;
        }

        var readings = Enumerable.Range(0, rows).Select(r => MonitorOutputs.Read(rule, output, r)).ToArray();
        return new Answers(MonitorOutputs.ClassCount(rule, output), readings.Select(r => r.Predicted).ToArray(), readings.Select(r => r.Score).ToArray());
    }

    private readonly record struct Answers(int ClassCount, int[] Predicted, double[] Scores);
}
