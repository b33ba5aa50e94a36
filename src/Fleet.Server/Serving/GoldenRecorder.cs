using Fleet.Guardrails;
using Fleet.Inference;
using Fleet.Inference.Onnx;
using Fleet.Inference.Tensors;
using Fleet.Models;
using Fleet.Server.Health;

namespace Fleet.Server.Serving;

/// <summary>
/// Records a version's golden set when it is added, by running the uploaded graph: on the first rows of its
/// reference data whose outputs are all finite (a NaN answer is never a right one), or, without usable reference
/// data, on synthetic inputs (a zero row and seeded random rows). The probes later check that every host still answers the same.
/// </summary>
internal static class GoldenRecorder
{
    /// <summary>Rows scanned for finite answers, as a multiple of the rows wanted.</summary>
    private const int ScanFactor = 4;

    public static GoldenSet? FromReference(OnnxModel session, ReferenceData reference, int rows, double tolerance, double relativeTolerance, DateTimeOffset now)
    {
        if (session.Inputs.Count != 1 || !session.Inputs[0].IsSupported || SupportedOutputs(session) is not { Length: > 0 } outputs)
        {
            return null;
        }

        var spec = session.Inputs[0];
        var scanned = Enumerable.Range(0, Math.Min(reference.RowCount, rows * ScanFactor)).ToArray();
        if (scanned.Length == 0)
        {
            return null;
        }

        var answers = session.Run([ReferencePredictor.Rows(spec, reference, scanned)], outputs);
        var finite = scanned.Where(r => RowIsFinite(answers, r, scanned.Length)).Take(rows).ToArray();
        if (finite.Length == 0)
        {
            return null;
        }

        var input = ReferencePredictor.Rows(spec, reference, finite);
        var expected = session.Run([input], outputs);
        var skipped = finite[^1] + 1 - finite.Length;
        var source = $"reference data: first {finite.Length} rows" + (skipped > 0 ? $" with finite outputs ({skipped} skipped)" : string.Empty);
        return new GoldenSet(source, tolerance, relativeTolerance, [GoldenTensors.From(input)], expected.Select(GoldenTensors.From).ToArray(), now);
    }

    /// <summary>
    /// Without reference data: <see cref="SyntheticRows"/> rows (a zero row, then seeded random floats at scales 1 to
    /// 1000; integer and BOOL inputs zero) when every input has a dynamic first dimension and the answers are finite;
    /// else zeros alone. Null when an input cannot be built, the graph refuses them, or an answer is not finite.
    /// </summary>
    public static GoldenSet? Synthetic(OnnxModel session, double tolerance, double relativeTolerance, DateTimeOffset now)
    {
        if (session.Inputs.Any(i => !i.IsSupported) || SupportedOutputs(session) is not { Length: > 0 } outputs)
        {
            return null;
        }

        var batchable = session.Inputs.All(i => i.Shape.Length > 0 && i.Shape[0] < 0);
        foreach (var (inputs, source) in new[]
        {
            batchable ? (SyntheticInputs(session, SyntheticRows), $"synthetic inputs: a zero row and {SyntheticRows - 1} seeded random rows (no reference data)") : default,
            (SyntheticInputs(session, 0), "zero inputs (no reference data)"),
        })
        {
            if (inputs is null)
            {
                continue;
            }

            Tensor[] expected;
            try
            {
                expected = session.Run(inputs, outputs);
            }
            catch (InferenceException)
            {
                continue; // e.g. random values out of an index range: zeros are the next candidate
            }

            if (expected.All(t => RowIsFinite([t], -1, 0)))
            {
                return new GoldenSet(source, tolerance, relativeTolerance, inputs.Select(GoldenTensors.From).ToArray(), expected.Select(GoldenTensors.From).ToArray(), now);
            }
        }

        return null;
    }

    /// <summary>Rows of a synthetic golden set.</summary>
    public const int SyntheticRows = 8;

    /// <summary>All zeros (rows 0: every dynamic dimension 1), or <paramref name="rows"/> rows whose first is zeros and the rest seeded random floats.</summary>
    private static Tensor[] SyntheticInputs(OnnxModel session, int rows)
    {
        var random = new Random(20260101);
        return session.Inputs.Select(spec =>
        {
            TensorDataTypes.TryParseProtocolName(spec.Datatype, out var type);
            var shape = spec.Shape.Select((d, i) => i == 0 && rows > 0 ? rows : d < 0 ? 1L : d).ToArray();
            var data = Tensor.Allocate(type, checked((int)Tensor.ElementCount(shape)));
            var perRow = rows > 0 ? data.Length / rows : 0;
            for (var i = perRow; rows > 0 && i < data.Length; i++)
            {
                var scale = Math.Pow(10, (i / perRow) % 4);
                var value = ((random.NextDouble() * 2) - 1) * scale;
                switch (data)
                {
                    case float[] f:
                        f[i] = (float)value;
                        break;
                    case double[] d:
                        d[i] = value;
                        break;
                }
            }

            return new Tensor(spec.Name, type, shape, data);
        }).ToArray();
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
