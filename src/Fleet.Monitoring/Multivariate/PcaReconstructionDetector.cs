using MathNet.Numerics.LinearAlgebra;

namespace Fleet.Monitoring.Multivariate;

/// <summary>
/// NannyML's data-reconstruction drift: standardise, project on the principal components of the
/// reference and measure how far rows fall from their reconstruction. A change in the correlations moves
/// mass off the reference subspace and raises the mean error even when every marginal is unchanged,
/// which per-feature tests cannot see. The alert band comes from the reference's own chunks.
/// </summary>
public sealed class PcaReconstructionDetector
{
    private readonly Standardizer _standardizer;
    private readonly PrincipalSubspace _subspace;
    private readonly ReconstructionSettings _settings;

    private PcaReconstructionDetector(Standardizer standardizer, PrincipalSubspace subspace, ReconstructionSettings settings, double referenceError, double spread)
    {
        _standardizer = standardizer;
        _subspace = subspace;
        _settings = settings;
        ReferenceError = referenceError;
        Spread = spread;
        (Lower, Upper) = Band(settings.Sigmas);
    }

    public int Components => _subspace.Components;

    /// <summary>Mean of the reference chunks' errors.</summary>
    public double ReferenceError { get; }

    /// <summary>Lower alert limit: mean − σ·sd of the chunk errors, never below 0.</summary>
    public double Lower { get; }

    public double Upper { get; }

    /// <summary>Standard deviation of the reference chunks' errors (population).</summary>
    public double Spread { get; }

    /// <summary>The band mean ± <paramref name="sigmas"/>·sd, the lower limit never below 0.</summary>
    public (double Lower, double Upper) Band(double sigmas) =>
        (Math.Max(0, ReferenceError - (sigmas * Spread)), ReferenceError + (sigmas * Spread));

    /// <summary>Fits on <paramref name="referenceRows"/> (<c>rows[r][c]</c>); needs at least two rows per chunk.</summary>
    public static PcaReconstructionDetector Fit(IReadOnlyList<double[]> referenceRows, ReconstructionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(referenceRows);
        ArgumentNullException.ThrowIfNull(settings);
        Validate(referenceRows, settings);

        var standardizer = Standardizer.Fit(referenceRows);
        var data = Matrix<double>.Build.Dense(referenceRows.Count, standardizer.Columns);
        var row = new double[standardizer.Columns];
        for (var r = 0; r < referenceRows.Count; r++)
        {
            standardizer.Transform(referenceRows[r], row);
            data.SetRow(r, row);
        }

        var subspace = PrincipalSubspace.Fit(data, settings.VarianceRetained);
        var chunkErrors = ChunkErrors(data, subspace, settings.Chunks);
        var mean = chunkErrors.Average();
        // NannyML's StandardDeviationThreshold: numpy's std (population), lower limit clipped at 0.
        var sd = Math.Sqrt(chunkErrors.Sum(e => (e - mean) * (e - mean)) / chunkErrors.Length);
        return new PcaReconstructionDetector(standardizer, subspace, settings, mean, sd);
    }

    /// <summary>
    /// Mean reconstruction error of <paramref name="rows"/>: <see cref="MonitorVerdict.Alarm"/> outside the
    /// band, <see cref="MonitorVerdict.InsufficientData"/> below <see cref="ReconstructionSettings.MinSamples"/>
    /// rows (the error is still reported when there is at least one). <paramref name="sigmas"/> widens the band for
    /// this evaluation (a stricter level, e.g. the fleet's false-alarm budget); null: the fitted
    /// <see cref="ReconstructionSettings.Sigmas"/>.
    /// </summary>
    public ReconstructionResult Evaluate(IReadOnlyList<double[]> rows, double? sigmas = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (sigmas is { } width && !(width >= 0))
            throw new ArgumentOutOfRangeException(nameof(sigmas), width, "sigmas must be non-negative");
        var (lower, upper) = sigmas is { } w ? Band(w) : (Lower, Upper);
        var standardized = new double[_standardizer.Columns];
        var scratch = new double[_standardizer.Columns];
        double sum = 0;
        for (var r = 0; r < rows.Count; r++)
        {
            if (rows[r] is null || rows[r].Length != _standardizer.Columns)
                throw new ArgumentException($"row {r} has {rows[r]?.Length ?? 0} values, expected {_standardizer.Columns}", nameof(rows));
            _standardizer.Transform(rows[r], standardized);
            sum += _subspace.Distance(standardized, scratch);
        }

        var error = rows.Count > 0 ? sum / rows.Count : double.NaN;
        var verdict = rows.Count < Math.Max(1, _settings.MinSamples) ? MonitorVerdict.InsufficientData
            : error > upper || error < lower ? MonitorVerdict.Alarm
            : MonitorVerdict.Ok;
        return new ReconstructionResult(verdict, error, ReferenceError, lower, upper, Components, rows.Count);
    }

    /// <summary>Contiguous chunks of ⌊n / k⌋ rows, the remainder joining the last (NannyML's count-based chunker).</summary>
    private static double[] ChunkErrors(Matrix<double> data, PrincipalSubspace subspace, int chunks)
    {
        var size = data.RowCount / chunks;
        var errors = new double[chunks];
        var row = new double[data.ColumnCount];
        var scratch = new double[data.ColumnCount];
        for (var k = 0; k < chunks; k++)
        {
            var start = k * size;
            var end = k == chunks - 1 ? data.RowCount : start + size;
            double sum = 0;
            for (var r = start; r < end; r++)
            {
                for (var c = 0; c < row.Length; c++)
                    row[c] = data[r, c];
                sum += subspace.Distance(row, scratch);
            }

            errors[k] = sum / (end - start);
        }

        return errors;
    }

    private static void Validate(IReadOnlyList<double[]> rows, ReconstructionSettings settings)
    {
        if (settings.Chunks < 2)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.Chunks, "Chunks must be at least 2");
        if (!(settings.VarianceRetained > 0 && settings.VarianceRetained <= 1))
            throw new ArgumentOutOfRangeException(nameof(settings), settings.VarianceRetained, "VarianceRetained must be in (0, 1]");
        if (!(settings.Sigmas >= 0))
            throw new ArgumentOutOfRangeException(nameof(settings), settings.Sigmas, "Sigmas must be non-negative");
        if (rows.Count < 2 * settings.Chunks)
            throw new ArgumentException($"{rows.Count} reference rows; at least {2 * settings.Chunks} (two per chunk) are needed", nameof(rows));
        var columns = rows[0]?.Length ?? 0;
        if (columns == 0)
            throw new ArgumentException("reference rows have no columns", nameof(rows));
        for (var r = 0; r < rows.Count; r++)
        {
            if (rows[r] is null || rows[r].Length != columns)
                throw new ArgumentException($"reference row {r} has {rows[r]?.Length ?? 0} values, row 0 has {columns}", nameof(rows));
        }
    }
}
