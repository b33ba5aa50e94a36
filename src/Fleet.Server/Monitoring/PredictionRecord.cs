namespace Fleet.Server.Monitoring;

/// <summary>
/// A served request as kept for late labels and export: its rows' features (up to
/// <see cref="MonitoringOptions.MaxRowsPerPrediction"/>; row-major, empty when the model has no contract input)
/// and, per row, the predicted class (-1 for regressors), the value/score and the class probabilities
/// (row-major, <see cref="ClassCount"/> per row) when the model gives them. Flat arrays: a few allocations
/// per request, whatever its batch size.
/// </summary>
internal sealed record PredictionRecord(
    string Id,
    string Model,
    string Version,
    DateTimeOffset Time,
    string[] FeatureNames,
    double[] Features,
    int[] Predicted,
    double[] Values,
    double[]? Probabilities,
    int ClassCount)
{
    public int Rows => Predicted.Length;

    public bool HasFeatures => FeatureNames.Length > 0 && Features.Length == Rows * FeatureNames.Length;

    public double Feature(int row, int column) => Features[(row * FeatureNames.Length) + column];

    public double[]? ProbabilitiesOf(int row) => Probabilities?.AsSpan(row * ClassCount, ClassCount).ToArray();

    /// <summary>A label's id: the request id for a one-row request, <c>ID#ROW</c> (0-based) for a row of a batch.</summary>
    public static (string Id, int Row) ParseLabelId(string labelId)
    {
        var hash = labelId.LastIndexOf('#');
        return hash > 0 && int.TryParse(labelId.AsSpan(hash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var row)
            ? (labelId[..hash], row)
            : (labelId, -1);
    }
}
