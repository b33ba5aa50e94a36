using Fleet.Inference.Tensors;

namespace Fleet.Guardrails;

/// <summary>
/// A reference dataset: <see cref="RowCount"/> rows of <see cref="FeatureNames"/>.Count numeric features,
/// row-major in <see cref="Values"/> (NaN = missing), and optionally one label per row.
/// </summary>
public sealed class ReferenceData
{
    public ReferenceData(IReadOnlyList<string> featureNames, double[] values, double[]? labels = null)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(values);
        if (featureNames.Count == 0)
        {
            throw new ArgumentException("at least one feature is required", nameof(featureNames));
        }

        if (values.Length % featureNames.Count != 0)
        {
            throw new ArgumentException($"{values.Length} values is not a whole number of rows of {featureNames.Count} features", nameof(values));
        }

        RowCount = values.Length / featureNames.Count;
        if (labels is not null && labels.Length != RowCount)
        {
            throw new ArgumentException($"{labels.Length} labels for {RowCount} rows", nameof(labels));
        }

        FeatureNames = featureNames;
        Values = values;
        Labels = labels;
    }

    public IReadOnlyList<string> FeatureNames { get; }

    public int FeatureCount => FeatureNames.Count;

    public int RowCount { get; }

    /// <summary>Row-major [RowCount, FeatureCount].</summary>
    public double[] Values { get; }

    /// <summary>One per row (NaN where missing), or null when no label column was read.</summary>
    public double[]? Labels { get; }

    public ReadOnlySpan<double> Row(int row) => Values.AsSpan(row * FeatureCount, FeatureCount);

    /// <summary>The rows as one [RowCount, FeatureCount] FP32 or FP64 tensor, e.g. to run the model on them.</summary>
    public Tensor ToTensor(string name, TensorDataType type)
    {
        long[] shape = [RowCount, FeatureCount];
        return type switch
        {
            TensorDataType.Fp64 => new Tensor(name, type, shape, Values.ToArray()),
            TensorDataType.Fp32 => new Tensor(name, type, shape, Array.ConvertAll(Values, v => (float)v)),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "reference rows convert to FP32 or FP64 only"),
        };
    }
}
