using Fleet.Abstractions.Contracts;
using Fleet.Guardrails;
using Fleet.Inference;
using Fleet.Inference.Artifacts;
using Fleet.Inference.Onnx;
using Fleet.Inference.Tensors;
using Fleet.Abstractions.Models;
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
    /// <summary>The evaluation, or null and why there is none when the reference has labels that cannot be scored (said in the upload's answer).</summary>
    public async Task<(VersionEvaluation? Evaluation, string? Why)> EvaluateAsync(IModelGrain grain, ModelInfo info, VersionContract contract, ReferenceData data, Tensor[] predictions)
    {
        if (data.Labels is not { } labels)
        {
            return (null, null);
        }

        if (Read(contract, predictions, data.RowCount) is not { } candidate)
        {
            return (null, "the contract names no output of the model to score against the labels");
        }

        // Rows without a label are left out (the live comparison runs on the same rows).
        var rows = Enumerable.Range(0, data.RowCount).Where(r => double.IsFinite(labels[r])).ToArray();
        var classes = candidate.ClassCount;
        var why = rows.Length == 0 ? "no reference row has a label"
            : classes == 1 ? "the model's output has a single class"
            : classes > 1 && !rows.All(r => labels[r] == Math.Floor(labels[r]) && labels[r] >= 0 && labels[r] < classes) ? $"the labels are not class indices 0..{classes - 1} of the model's output"
            : classes == 0 && !rows.All(r => double.IsFinite(candidate.Scores[r])) ? "the model answers some labelled rows with NaN"
            : null;
        if (why is not null)
        {
            return (null, why);
        }

        var (live, note) = await RunLiveAsync(grain, info, data, classes);
        if (classes > 1)
        {
            // An answer outside the classes is a wrong answer, not a reason to skip the evaluation.
            int[] Answers(int[] predicted) => rows.Select(r => predicted[r] >= 0 && predicted[r] < classes ? predicted[r] : (int)labels[r] == 0 ? 1 : 0).ToArray();
            return (ReferenceEvaluation.Classification(rows.Select(r => (int)labels[r]).ToArray(), Answers(candidate.Predicted), classes,
                live is null ? null : (live.Value.Version, Answers(live.Value.Answers.Predicted)), note), null);
        }

        if (live is { } l && !rows.All(r => double.IsFinite(l.Answers.Scores[r])))
        {
            (live, note) = (null, $"live version '{l.Version}' answers some of these rows with NaN: not compared");
        }

        return (ReferenceEvaluation.Regression(rows.Select(r => labels[r]).ToArray(), rows.Select(r => candidate.Scores[r]).ToArray(),
            live is null ? null : (live.Value.Version, rows.Select(r => live.Value.Answers.Scores[r]).ToArray()), note), null);
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
        if (contract.Input is { } input && !input.Features.Select(f => f.Name).SequenceEqual(data.FeatureNames))
        {
            return (null, $"live version '{version}' takes other input features than these reference rows: not compared");
        }

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
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The live version's trouble never blocks the upload: the comparison is left out, and the evidence says why.
            return (null, $"live version '{version}' cannot run these reference rows ({ex.GetType().Name}: {ex.Message}): not compared");
        }
    }

    private static Answers? Read(VersionContract contract, Tensor[] predictions, int rows) =>
        MonitorOutputs.ReadRows(contract, predictions, Enumerable.Range(0, rows)) is { } read
            ? new Answers(read.ClassCount, read.Readings.Select(r => r.Predicted).ToArray(), read.Readings.Select(r => r.Score).ToArray())
            : null;

    private readonly record struct Answers(int ClassCount, int[] Predicted, double[] Scores);
}
