using Fleet.Abstractions.Contracts;
using Fleet.Inference.Tensors;
using Fleet.Abstractions.Models;
using Fleet.Monitoring.Quality;
using Fleet.Server.Monitoring;

namespace Fleet.Server.Health;

/// <summary>Reads a classifier's answers on the golden rows (as the monitor reads them) and judges them against the rows' reference labels.</summary>
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

        var rule = new OutputRule(labels.Output, labels.Probabilities ? OutputKind.Probabilities : OutputKind.Labels, null, null, null);
        var predicted = Enumerable.Range(0, rows).Select(r => MonitorOutputs.Read(rule, output, r).Predicted).ToArray();
        return GoldenAgreement.Judge(labels.Labels, predicted);
    }
}
