using Fleet.Abstractions.Contracts;
using Fleet.Inference.Onnx;
using Fleet.Inference.Tensors;
using Fleet.Abstractions.Models;

namespace Fleet.Guardrails;

/// <summary>Output rules by task: which output is probabilities/labels/values/embedding, and ranges from predictions on the reference.</summary>
internal static class OutputInference
{
    public static OutputContract Infer(
        ModelTask task,
        IReadOnlyList<TensorSignature> outputs,
        ReferenceData? reference,
        Func<ReferenceData, Tensor[]>? predict,
        ContractInferenceOptions options,
        string source)
    {
        var rules = outputs.Select(o => new OutputRule(o.Name, OutputKind.Any, null, null, null)).ToArray();
        switch (task)
        {
            case ModelTask.Classification:
                Classification(outputs, reference, rules);
                break;
            case ModelTask.Regression or ModelTask.Embedding:
                var predictions = reference is not null && predict is not null ? predict(reference) : null;
                if (reference is not null && predictions is null)
                {
                    source = "signature only (no predictions on the reference data)";
                }

                if (task == ModelTask.Regression)
                {
                    Regression(outputs, predictions, options, rules);
                }
                else
                {
                    Embedding(outputs, predictions, options, rules);
                }

                break;
        }

        return new OutputContract(rules, source);
    }

    private static void Classification(IReadOnlyList<TensorSignature> outputs, ReferenceData? reference, OutputRule[] rules)
    {
        int? classes = null;
        var probabilities = IndexOf(outputs, o => Signatures.IsFloat(o.Datatype) && o.Shape.Length == 2);
        if (probabilities >= 0)
        {
            var width = outputs[probabilities].Shape[1];
            classes = width > 0 ? checked((int)width) : null;
            rules[probabilities] = rules[probabilities] with { Kind = OutputKind.Probabilities, ClassCount = classes };
        }

        var labels = IndexOf(outputs, o => Signatures.IsInteger(o.Datatype) && (o.Shape.Length == 1 || (o.Shape.Length == 2 && o.Shape[1] == 1)));
        if (labels >= 0)
        {
            rules[labels] = rules[labels] with { Kind = OutputKind.Labels, ClassCount = classes ?? ClassesFromLabels(reference?.Labels) };
        }
    }

    private static void Regression(IReadOnlyList<TensorSignature> outputs, Tensor[]? predictions, ContractInferenceOptions options, OutputRule[] rules)
    {
        for (var i = 0; i < outputs.Count; i++)
        {
            if (!Signatures.IsFloat(outputs[i].Datatype))
            {
                continue;
            }

            var (min, max) = Range(Find(predictions, outputs[i].Name), options, rowNorm: false);
            rules[i] = rules[i] with { Kind = OutputKind.Values, Min = min, Max = max };
        }
    }

    private static void Embedding(IReadOnlyList<TensorSignature> outputs, Tensor[]? predictions, ContractInferenceOptions options, OutputRule[] rules)
    {
        var embedding = IndexOf(outputs, o => Signatures.IsFloat(o.Datatype) && o.Shape.Length == 2);
        if (embedding >= 0)
        {
            var (min, max) = Range(Find(predictions, outputs[embedding].Name), options, rowNorm: true);
            rules[embedding] = rules[embedding] with { Kind = OutputKind.Embedding, Min = min, Max = max };
        }
    }

    /// <summary>Widened range of the finite values (or row L2 norms) of a prediction; null/null when there is none.</summary>
    private static (double? Min, double? Max) Range(Tensor? prediction, ContractInferenceOptions options, bool rowNorm)
    {
        if (prediction is null || !Signatures.IsFloat(prediction.Type) || prediction.Length == 0)
        {
            return (null, null);
        }

        var values = Signatures.ToDoubles(prediction);
        if (rowNorm)
        {
            var rows = Signatures.Rows(prediction);
            var width = values.Length / rows;
            var norms = new double[rows];
            for (var r = 0; r < rows; r++)
            {
                norms[r] = Math.Sqrt(SumOfSquares(values.AsSpan(r * width, width)));
            }

            values = norms;
        }

        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var value in values)
        {
            if (double.IsFinite(value))
            {
                min = Math.Min(min, value);
                max = Math.Max(max, value);
            }
        }

        return min > max ? (null, null) : OrderStatistics.Widen(min, max, options.RangeMargin);
    }

    private static double SumOfSquares(ReadOnlySpan<double> row)
    {
        var sum = 0.0;
        foreach (var v in row)
        {
            sum += v * v;
        }

        return sum;
    }

    /// <summary>max + 1 of the reference labels when they are all non-negative integers.</summary>
    private static int? ClassesFromLabels(double[]? labels)
    {
        var max = -1.0;
        foreach (var label in labels ?? [])
        {
            if (double.IsNaN(label))
            {
                continue;
            }

            if (label < 0 || label != Math.Floor(label) || label >= int.MaxValue)
            {
                return null;
            }

            max = Math.Max(max, label);
        }

        return max >= 0 ? (int)max + 1 : null;
    }

    private static Tensor? Find(Tensor[]? tensors, string name) => tensors?.FirstOrDefault(t => t.Name == name);

    private static int IndexOf(IReadOnlyList<TensorSignature> outputs, Func<TensorSignature, bool> match)
    {
        for (var i = 0; i < outputs.Count; i++)
        {
            if (match(outputs[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
