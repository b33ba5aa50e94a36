namespace Fleet.Server.Monitoring;

/// <summary>
/// A served request as kept for late labels and export: its rows' features (up to
/// <see cref="MonitoringOptions.MaxRowsPerPrediction"/>) and, per row, the predicted class (-1 for regressors),
/// the value/score and the class probabilities when the model gives them.
/// </summary>
internal sealed record PredictionRecord(
    string Id,
    string Model,
    string Version,
    DateTimeOffset Time,
    string[] FeatureNames,
    double[][] Features,
    int[] Predicted,
    double[] Values,
    double[][]? Probabilities)
{
    public int Rows => Predicted.Length;

    /// <summary>A label's id: the request id for a one-row request, <c>ID#ROW</c> (0-based) for a row of a batch.</summary>
    public static (string Id, int Row) ParseLabelId(string labelId)
    {
        var hash = labelId.LastIndexOf('#');
        return hash > 0 && int.TryParse(labelId.AsSpan(hash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var row)
            ? (labelId[..hash], row)
            : (labelId, -1);
    }
}
