namespace Fleet.Monitoring.Multivariate;

/// <summary>
/// NannyML's preprocessing: missing values (NaN, ±Infinity) imputed with the reference mean, then
/// scikit-learn's StandardScaler fitted on the imputed reference (population standard deviation; a
/// column without spread keeps scale 1). An imputed value therefore standardises to exactly 0.
/// </summary>
internal sealed class Standardizer
{
    private readonly double[] _means;
    private readonly double[] _scales;

    private Standardizer(double[] means, double[] scales)
    {
        _means = means;
        _scales = scales;
    }

    public int Columns => _means.Length;

    public static Standardizer Fit(IReadOnlyList<double[]> rows)
    {
        var columns = rows[0].Length;
        var means = new double[columns];
        var scales = new double[columns];
        for (var c = 0; c < columns; c++)
        {
            double sum = 0;
            var count = 0;
            foreach (var row in rows)
            {
                if (double.IsFinite(row[c]))
                {
                    sum += row[c];
                    count++;
                }
            }

            // A column missing throughout imputes 0: no information either way.
            var mean = count > 0 ? sum / count : 0;
            double squares = 0;
            foreach (var row in rows)
            {
                var d = (double.IsFinite(row[c]) ? row[c] : mean) - mean;
                squares += d * d;
            }

            var std = Math.Sqrt(squares / rows.Count);
            means[c] = mean;
            scales[c] = std > 1e-12 * Math.Max(1, Math.Abs(mean)) ? std : 1;
        }

        return new Standardizer(means, scales);
    }

    public void Transform(double[] row, Span<double> output)
    {
        for (var c = 0; c < _means.Length; c++)
            output[c] = double.IsFinite(row[c]) ? (row[c] - _means[c]) / _scales[c] : 0;
    }
}
