namespace Fleet.Monitoring.Quality;

/// <summary>
/// Isotonic regression of "prediction correct" on the predicted-class probability, fitted on reference
/// data: the map CBPE uses to turn a confidence into a probability of being right. <see cref="Apply"/>
/// interpolates linearly between <see cref="X"/>/<see cref="Y"/> and clamps outside them, as scikit-learn's
/// IsotonicRegression(out_of_bounds='clip') predicts. Immutable and serializable; <see cref="FromPoints"/>
/// restores one from its points.
/// <para>
/// <see cref="Check"/>'s after-calibration ECE is cross-fitted (5 interleaved folds, each scored by a
/// calibration fitted on the other four): in-sample, isotonic regression matches each block's mean
/// exactly, so its ECE would be 0 by construction and say nothing.
/// </para>
/// </summary>
public sealed class ConfidenceCalibration
{
    private const int Folds = 5;

    private static readonly CalibrationCheck Unchecked = new(0, double.NaN, double.NaN, false);

    private readonly double[] _x;
    private readonly double[] _y;
    private readonly CalibrationCheck _check;

    private ConfidenceCalibration(double[] x, double[] y, CalibrationCheck check)
    {
        _x = x;
        _y = y;
        _check = check;
    }

    /// <summary>Confidences of the fitted points, increasing.</summary>
    public IReadOnlyList<double> X => _x;

    /// <summary>Calibrated probability at each point of <see cref="X"/>, non-decreasing, in [0, 1].</summary>
    public IReadOnlyList<double> Y => _y;

    public CalibrationCheck Check => _check;

    /// <summary>Fits on reference confidences and outcomes; non-finite confidences are skipped.</summary>
    public static ConfidenceCalibration Fit(ReadOnlySpan<double> confidence, ReadOnlySpan<bool> correct)
    {
        if (correct.Length != confidence.Length)
            throw new ArgumentException($"{confidence.Length} confidences but {correct.Length} outcomes", nameof(correct));
        var (c, o) = Finite(confidence, correct);
        if (c.Length == 0)
            throw new ArgumentException("no finite confidence to fit", nameof(confidence));

        var (x, y) = IsotonicFit.Fit(c, o.Select(b => b ? 1.0 : 0.0).ToArray());
        var before = CalibrationError.Expected(c, o);
        var check = new CalibrationCheck(c.Length, before, CrossFittedError(c, o), before <= CalibrationError.CalibratedLimit);
        return new ConfidenceCalibration(x, y, check);
    }

    /// <summary>Copies of <see cref="X"/> and <see cref="Y"/>, for storage; <see cref="FromPoints"/> restores them.</summary>
    public (double[] X, double[] Y) Points => ([.. _x], [.. _y]);

    /// <summary>
    /// Restores a calibration from its <see cref="Points"/> and <see cref="Check"/>. Without a check (for
    /// example the identity map <c>([0, 1], [0, 1])</c> when there is no labelled reference) the check has
    /// count 0, NaN errors and <see cref="CalibrationCheck.Calibrated"/> false: nothing was verified.
    /// </summary>
    public static ConfidenceCalibration FromPoints(IReadOnlyList<double> x, IReadOnlyList<double> y, CalibrationCheck? check = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        check ??= Unchecked;
        if (x.Count == 0 || x.Count != y.Count)
            throw new ArgumentException($"{x.Count} x and {y.Count} y points; need the same non-zero number", nameof(y));
        for (var i = 1; i < x.Count; i++)
        {
            if (!(x[i] > x[i - 1]) || y[i] < y[i - 1])
                throw new ArgumentException($"points must have increasing x and non-decreasing y (index {i})", nameof(x));
        }

        return new ConfidenceCalibration([.. x], [.. y], check);
    }

    /// <summary>scipy's interp1d on the points after clipping to their range; NaN stays NaN.</summary>
    public double Apply(double confidence)
    {
        if (double.IsNaN(confidence))
            return double.NaN;
        if (_x.Length == 1)
            return _y[0];
        var t = Math.Clamp(confidence, _x[0], _x[^1]);
        // searchsorted(x, t, side='left'), kept inside [1, n-1] as interp1d does.
        var hi = Array.BinarySearch(_x, t);
        hi = hi >= 0 ? FirstEqual(hi, t) : ~hi;
        hi = Math.Clamp(hi, 1, _x.Length - 1);
        var lo = hi - 1;
        var slope = (_y[hi] - _y[lo]) / (_x[hi] - _x[lo]);
        return (slope * (t - _x[lo])) + _y[lo];
    }

    private int FirstEqual(int index, double value)
    {
        while (index > 0 && _x[index - 1] == value)
            index--;
        return index;
    }

    private static double CrossFittedError(double[] confidence, bool[] correct)
    {
        if (confidence.Length < 2 * Folds)
            return double.NaN;
        var calibrated = new double[confidence.Length];
        for (var fold = 0; fold < Folds; fold++)
        {
            var train = Enumerable.Range(0, confidence.Length).Where(i => i % Folds != fold).ToArray();
            var (x, y) = IsotonicFit.Fit(
                train.Select(i => confidence[i]).ToArray(), train.Select(i => correct[i] ? 1.0 : 0.0).ToArray());
            var model = new ConfidenceCalibration(x, y, Unchecked);
            for (var i = fold; i < confidence.Length; i += Folds)
                calibrated[i] = model.Apply(confidence[i]);
        }

        return CalibrationError.Expected(calibrated, correct);
    }

    private static (double[] Confidence, bool[] Correct) Finite(ReadOnlySpan<double> confidence, ReadOnlySpan<bool> correct)
    {
        var c = new List<double>(confidence.Length);
        var o = new List<bool>(confidence.Length);
        for (var i = 0; i < confidence.Length; i++)
        {
            if (double.IsFinite(confidence[i]))
            {
                c.Add(confidence[i]);
                o.Add(correct[i]);
            }
        }

        return ([.. c], [.. o]);
    }
}
