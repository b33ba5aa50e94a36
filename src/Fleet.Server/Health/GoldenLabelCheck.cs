using Fleet.Inference.Tensors;
using Fleet.Models;
using Fleet.Monitoring.Quality;

namespace Fleet.Server.Health;

/// <summary>Reads a classifier's answers on the golden rows (argmax of its probabilities, or its labels) and judges them against the rows' reference labels.</summary>
internal static class GoldenLabelCheck
{
    public static (bool Passed, string? Detail) Judge(GoldenLabels labels, IReadOnlyList<Tensor> outputs)
    {
        var output = outputs.FirstOrDefault(t => t.Name == labels.Output);
        var rows = labels.Labels.Length;
        if (output is null || rows == 0 || output.Length % rows != 0)
        {
            // The recording does not fit the answer (not the model's fault): said, not failed.
            return (true, $"the golden labels were not checked: the golden run has no output '{labels.Output}' with {rows} rows");
        }

        var width = output.Length / rows;
        var predicted = new int[rows];
        for (var r = 0; r < rows; r++)
        {
            if (!labels.Probabilities)
            {
                predicted[r] = (int)At(output, r * width);
                continue;
            }

            var best = 0;
            for (var c = 1; c < width; c++)
            {
                best = At(output, (r * width) + c) > At(output, (r * width) + best) ? c : best;
            }

            predicted[r] = best;
        }

        return GoldenAgreement.Judge(labels.Labels, predicted);
    }

    private static double At(Tensor tensor, int index) => tensor.Data switch
    {
        float[] f => f[index],
        double[] d => d[index],
        long[] l => l[index],
        int[] i => i[index],
        _ => double.NaN,
    };
}
