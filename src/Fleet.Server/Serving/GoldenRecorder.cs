using Fleet.Guardrails;
using Fleet.Inference;
using Fleet.Inference.Onnx;
using Fleet.Inference.Tensors;
using Fleet.Abstractions.Models;
using Fleet.Server.Health;

namespace Fleet.Server.Serving;

/// <summary>
/// Records a version's golden set when it is added, by running the uploaded graph on the first rows of its reference
/// data that it can run and whose outputs are all finite (a NaN answer is never a right one). Rows it cannot run are not
/// kept. Without usable reference data there is no golden set at upload: the prober records one from live traffic.
/// </summary>
internal static class GoldenRecorder
{
    /// <summary>Rows scanned for finite answers, as a multiple of the rows wanted.</summary>
    private const int ScanFactor = 4;

    /// <summary>The golden set from reference rows, or null and why there is none.</summary>
    /// <remarks>With <paramref name="classOutput"/> (a classifier's output) and labelled reference rows, the golden rows' labels are kept too.</remarks>
    public static (GoldenSet? Set, string? Why) FromReference(OnnxModel session, ReferenceData reference, int rows, double tolerance, double relativeTolerance,
        DateTimeOffset now, (string Output, bool Probabilities, int? Classes)? classOutput = null)
    {
        if (session.Inputs.Count != 1 || !session.Inputs[0].IsSupported || SupportedOutputs(session) is not { Length: > 0 } outputs)
        {
            return (null, "the reference rows do not describe the model's inputs (it has several inputs, or a type Fleet cannot build)");
        }

        var spec = session.Inputs[0];
        var scanned = Enumerable.Range(0, Math.Min(reference.RowCount, rows * ScanFactor)).ToArray();
        if (scanned.Length == 0)
        {
            return (null, "the reference data has no rows");
        }

        int[] finite;
        string? firstError = null;
        try
        {
            var answers = session.Run([ReferencePredictor.Rows(spec, reference, scanned)], outputs);
            finite = scanned.Where(r => RowIsFinite(answers, r, scanned.Length)).Take(rows).ToArray();
        }
        catch (InferenceException)
        {
            // The batch failed: keep the rows the model runs one at a time.
            var kept = new List<int>();
            foreach (var r in scanned)
            {
                try
                {
                    if (AllFinite(session.Run([ReferencePredictor.Rows(spec, reference, [r])], outputs)))
                    {
                        kept.Add(r);
                    }
                }
                catch (InferenceException ex)
                {
                    firstError ??= ex.Message;
                }

                if (kept.Count == rows)
                {
                    break;
                }
            }

            finite = [.. kept];
        }

        if (finite.Length == 0)
        {
            return (null, firstError is null
                ? $"the model answered none of the first {scanned.Length} reference rows with finite outputs"
                : $"the model could run none of the first {scanned.Length} reference rows ({firstError})");
        }

        Tensor input;
        Tensor[] expected;
        try
        {
            input = ReferencePredictor.Rows(spec, reference, finite);
            expected = session.Run([input], outputs);
        }
        catch (InferenceException)
        {
            // Rows that run one at a time but not as a batch (a graph with a fixed batch of 1): the first row alone.
            finite = [finite[0]];
            input = ReferencePredictor.Rows(spec, reference, finite);
            expected = session.Run([input], outputs);
        }

        var skipped = finite[^1] + 1 - finite.Length;
        var source = $"reference data: first {finite.Length} rows" + (skipped > 0 ? $" with finite outputs ({skipped} skipped)" : string.Empty);
        // Labels are kept only when they are class indices of that output (a probabilities output of 2+ columns, or a
        // labels output of known classes); otherwise the check would judge a healthy model on a misread answer.
        var answer = classOutput is { } o ? Array.Find(expected, t => t.Name == o.Output) : null;
        var classes = classOutput is { Probabilities: true } && answer is { Shape.Length: 2 } ? (int)answer.Shape[1] : classOutput?.Classes ?? 0;
        var labels = reference.Labels is { } all && classOutput is { } c && classes >= 2
            && finite.All(r => all[r] >= 0 && all[r] == Math.Floor(all[r]) && all[r] < classes)
            ? new GoldenLabels(c.Output, c.Probabilities, finite.Select(r => (int)all[r]).ToArray())
            : null;
        return (new GoldenSet(source, tolerance, relativeTolerance, [GoldenTensors.From(input)], expected.Select(GoldenTensors.From).ToArray(), now) { Labels = labels }, null);
    }

    /// <summary>The outputs Fleet can carry (a string output cannot be compared as a tensor).</summary>
    public static string[] SupportedOutputs(OnnxModel session) => session.Outputs.Where(o => o.IsSupported).Select(o => o.Name).ToArray();

    /// <summary>Whether every float value of row <paramref name="row"/> is finite (row -1: the whole tensor).</summary>
    private static bool RowIsFinite(Tensor[] outputs, int row, int rowCount)
    {
        foreach (var output in outputs)
        {
            var perRow = row >= 0 && output.Shape.Length > 0 && output.Shape[0] == rowCount && rowCount > 0;
            var start = perRow ? row * (output.Length / rowCount) : 0;
            var length = perRow ? output.Length / rowCount : output.Length;
            switch (output.Data)
            {
                case float[] f when !AllFinite(f.AsSpan(start, length)):
                    return false;
                case double[] d when !AllFinite(d.AsSpan(start, length)):
                    return false;
            }
        }

        return true;
    }

    /// <summary>Whether every float value of every output is finite.</summary>
    public static bool AllFinite(Tensor[] outputs) => RowIsFinite(outputs, -1, 0);

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (var v in values)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }
}
