using Fleet.Abstractions.Contracts;
using Fleet.Inference.Tensors;
using Fleet.Statistics;

namespace Fleet.Server.Serving;

/// <summary>
/// What an answered request adds to its version's in-process statistics (<see cref="VersionStatsRecorder"/>), on the
/// hot path: no allocation for small batches, features sampled so a large batch costs the same as a small one.
/// </summary>
internal static class ServedStats
{
    /// <summary>Rows per request whose features go into the distribution sketches (see <see cref="RecordSampled(VersionStatsRecorder, float[], int)"/>).</summary>
    public const int FeatureRowsPerRequest = 8;

    /// <summary>An answered request's features (sampled), outputs, latency and rows.</summary>
    public static void Record(VersionStatsRecorder recorder, VersionGuards guards, Tensor[] inputs, Tensor[] outputs, TimeProvider time, long started)
    {
        var rows = inputs.Length > 0 && inputs[0].Shape.Length > 0 ? (int)inputs[0].Shape[0] : 1;
        if (guards.Contract?.Input is { } contract && PredictionPipeline.Find(inputs, contract.Input) is { } features
            && features.Shape.Length == 2 && features.Shape[1] == guards.FeatureNames.Length)
        {
            var columns = guards.FeatureNames.Length;
            switch (features.Data)
            {
                case float[] f:
                    RecordSampled(recorder, f, columns);
                    break;
                case double[] d:
                    RecordSampled(recorder, d, columns);
                    break;
            }
        }

        foreach (var rule in guards.Contract?.Output.Outputs ?? [])
        {
            if (PredictionPipeline.Find(outputs, rule.Output) is not { Data: float[] values } output)
            {
                continue;
            }

            if (rule.Kind == OutputKind.Probabilities && output.Shape.Length == 2)
            {
                recorder.RecordClassOutputs(values, (int)output.Shape[1]);
            }
            else if (rule.Kind == OutputKind.Values)
            {
                recorder.RecordValues(values);
            }
        }

        // Latency is taken last, so it includes this recording: what the request cost the silo.
        recorder.RecordRequest(time.GetElapsedTime(started).TotalMilliseconds, rows);
    }

    /// <summary>
    /// Feature distributions take at most <see cref="FeatureRowsPerRequest"/> evenly spaced rows of a request:
    /// a large batch costs the same as a small one, and a distribution estimate needs samples, not every row.
    /// </summary>
    private static void RecordSampled(VersionStatsRecorder recorder, float[] values, int columns)
    {
        var rows = columns == 0 ? 0 : values.Length / columns;
        if (rows <= FeatureRowsPerRequest)
        {
            recorder.RecordFeatures(values, columns);
            return;
        }

        var sample = columns * FeatureRowsPerRequest <= 2048 ? stackalloc float[columns * FeatureRowsPerRequest] : new float[columns * FeatureRowsPerRequest];
        for (var i = 0; i < FeatureRowsPerRequest; i++)
        {
            values.AsSpan(i * rows / FeatureRowsPerRequest * columns, columns).CopyTo(sample.Slice(i * columns, columns));
        }

        recorder.RecordFeatures(sample, columns);
    }

    private static void RecordSampled(VersionStatsRecorder recorder, double[] values, int columns)
    {
        var rows = columns == 0 ? 0 : values.Length / columns;
        if (rows <= FeatureRowsPerRequest)
        {
            recorder.RecordFeatures(values, columns);
            return;
        }

        var sample = columns * FeatureRowsPerRequest <= 1024 ? stackalloc double[columns * FeatureRowsPerRequest] : new double[columns * FeatureRowsPerRequest];
        for (var i = 0; i < FeatureRowsPerRequest; i++)
        {
            values.AsSpan(i * rows / FeatureRowsPerRequest * columns, columns).CopyTo(sample.Slice(i * columns, columns));
        }

        recorder.RecordFeatures(sample, columns);
    }
}
