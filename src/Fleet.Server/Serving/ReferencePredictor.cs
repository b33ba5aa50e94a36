using Fleet.Guardrails;
using Fleet.Inference;
using Fleet.Inference.Onnx;
using Fleet.Inference.Tensors;

namespace Fleet.Server.Serving;

/// <summary>
/// Runs a model over its reference rows (in batches) so the output contract can learn the range of its own
/// predictions. Only for models with exactly one input, the 2-D numeric one the reference describes.
/// </summary>
internal static class ReferencePredictor
{
    private const int BatchRows = 256;

    public static Tensor[] Predict(OnnxModel session, ReferenceData data)
    {
        if (session.Inputs.Count != 1)
        {
            throw new InferenceException($"the model has {session.Inputs.Count} inputs; reference predictions need exactly one");
        }

        var spec = session.Inputs[0];
        var batches = new List<Tensor[]>();
        for (var start = 0; start < data.RowCount; start += BatchRows)
        {
            var rows = Math.Min(BatchRows, data.RowCount - start);
            batches.Add(session.Run([Rows(spec, data, Enumerable.Range(start, rows).ToArray())]));
        }

        return Concatenate(batches);
    }

    /// <summary>The input tensor <c>[rows.Length, features]</c> of <paramref name="spec"/>'s element type from the given reference rows.</summary>
    public static Tensor Rows(TensorSignature spec, ReferenceData data, int[] rows)
    {
        TensorDataTypes.TryParseProtocolName(spec.Datatype, out var type);
        var columns = data.FeatureNames.Count;
        Array values = type == TensorDataType.Fp64 ? new double[rows.Length * columns] : new float[rows.Length * columns];
        for (var r = 0; r < rows.Length; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var v = data.Values[(rows[r] * columns) + c];
                if (values is double[] d)
                {
                    d[(r * columns) + c] = v;
                }
                else
                {
                    ((float[])values)[(r * columns) + c] = (float)v;
                }
            }
        }

        return new Tensor(spec.Name, type, [rows.Length, columns], values);
    }

    private static Tensor[] Concatenate(List<Tensor[]> batches)
    {
        if (batches.Count == 1)
        {
            return batches[0];
        }

        var result = new Tensor[batches[0].Length];
        for (var o = 0; o < result.Length; o++)
        {
            var parts = batches.Select(b => b[o]).ToArray();
            var first = parts[0];
            var total = parts.Sum(p => p.Length);
            var data = Tensor.Allocate(first.Type, total);
            var offset = 0;
            foreach (var part in parts)
            {
                Array.Copy(part.Data, 0, data, offset, part.Length);
                offset += part.Length;
            }

            var shape = (long[])first.Shape.Clone();
            if (shape.Length > 0)
            {
                shape[0] = parts.Sum(p => p.Shape.Length > 0 ? p.Shape[0] : 1);
            }

            result[o] = new Tensor(first.Name, first.Type, shape, data);
        }

        return result;
    }
}
