using MathNet.Numerics.LinearAlgebra;

namespace Fleet.Monitoring.Multivariate;

/// <summary>
/// PCA as scikit-learn does it (centre by the data mean, keep the fewest components whose cumulative
/// explained-variance ratio exceeds the target) and the distance of a row from its reconstruction
/// x̂ = μ + W Wᵀ (x − μ). The components come from the SVD of the p × p covariance matrix rather than of
/// the n × p data: the same subspace, without MathNet building an n × n factor.
/// </summary>
internal sealed class PrincipalSubspace
{
    private readonly double[] _center;
    private readonly double[][] _basis; // q orthonormal components of p values each

    private PrincipalSubspace(double[] center, double[][] basis)
    {
        _center = center;
        _basis = basis;
    }

    public int Components => _basis.Length;

    public static PrincipalSubspace Fit(Matrix<double> data, double varianceRetained)
    {
        var n = data.RowCount;
        var p = data.ColumnCount;
        var center = data.ColumnSums().Divide(n).ToArray();
        var centred = data.Clone();
        for (var c = 0; c < p; c++)
            centred.SetColumn(c, centred.Column(c).Subtract(center[c]));
        var covariance = centred.TransposeThisAndMultiply(centred).Divide(n - 1);
        var svd = covariance.Svd(computeVectors: true);
        var variances = svd.S.ToArray();
        var components = ComponentsFor(variances, varianceRetained);
        var basis = Enumerable.Range(0, components).Select(k => svd.U.Column(k).ToArray()).ToArray();
        return new PrincipalSubspace(center, basis);
    }

    /// <summary>sklearn: <c>searchsorted(cumsum(ratio), target, side="right") + 1</c>, at most p.</summary>
    internal static int ComponentsFor(IReadOnlyList<double> variances, double varianceRetained)
    {
        var total = variances.Sum();
        if (total <= 0)
            return 1;
        double cumulative = 0;
        var atOrBelow = 0;
        foreach (var variance in variances)
        {
            cumulative += variance / total;
            if (cumulative <= varianceRetained)
                atOrBelow++;
        }

        return Math.Min(atOrBelow + 1, variances.Count);
    }

    /// <summary>‖(I − W Wᵀ)(x − μ)‖ for a standardised row; <paramref name="scratch"/> holds p values.</summary>
    public double Distance(ReadOnlySpan<double> row, Span<double> scratch)
    {
        var p = _center.Length;
        for (var c = 0; c < p; c++)
            scratch[c] = row[c] - _center[c];
        // Remove the projection on each component; the columns are orthonormal so order does not matter.
        foreach (var component in _basis)
        {
            double score = 0;
            for (var c = 0; c < p; c++)
                score += component[c] * (row[c] - _center[c]);
            for (var c = 0; c < p; c++)
                scratch[c] -= score * component[c];
        }

        double squares = 0;
        for (var c = 0; c < p; c++)
            squares += scratch[c] * scratch[c];
        return Math.Sqrt(squares);
    }
}
