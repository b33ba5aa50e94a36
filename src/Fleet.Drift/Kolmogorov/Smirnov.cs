namespace Fleet.Drift.Kolmogorov;

/// <summary>
/// Survival function Pr(D+_n >= x) of the one-sided Kolmogorov-Smirnov statistic (SciPy's
/// <c>scipy.special.smirnov</c>), by the Smirnov / Birnbaum-Tingey sum
/// x * sum_{v=0}^{floor(n(1-x))} C(n, v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v).
/// All terms are positive, so the sum is summed directly; each term is formed in logarithms (SciPy uses
/// double-double arithmetic; the two agree to about 1e-10 relative for n up to 10^6). The special cases and the large-n approximation are SciPy's.
/// </summary>
internal static class Smirnov
{
    private const double MinLog = -7.08396418532264106224E2;
    private const int MaxComputeN = 1_000_000;
    private const double Eps = 2.220446049250313e-16; // C's DBL_EPSILON (.NET's double.Epsilon is the smallest subnormal)

    public static double Sf(int n, double x)
    {
        if (!(n > 0 && x >= 0.0 && x <= 1.0))
            return double.NaN;
        if (n == 1)
            return 1 - x;
        if (x == 0.0)
            return 1.0;
        if (x == 1.0)
            return 0.0;

        var (floorNx, alpha) = SplitNx(n, x);
        if (floorNx == 0 || (floorNx == 1 && alpha == 0))
            return Math.Clamp(1 - (x * Math.Pow(1 + x, n - 1)), 0.0, 1.0);
        if (-2 * n * x * x < MinLog)
            return 0.0;
        if (floorNx >= n - 1)
            return Math.Pow(1 - x, n);
        if (n > MaxComputeN)
            return Math.Exp(-Math.Pow((6.0 * n * x) + 1.0, 2) / 18.0 / n);
        return Math.Clamp(x * LowerSum(n, x, floorNx, alpha), 0.0, 1.0);
    }

    // n x split exactly into floor and fraction in [0, 1), with the fused multiply-add's rounding error.
    private static (int Floor, double Fraction) SplitNx(int n, double x)
    {
        var nx = n * x;
        var error = Math.FusedMultiplyAdd(n, x, -nx);
        var floor = Math.Floor(nx);
        var fraction = nx - floor + error;
        if (fraction < 0)
        {
            floor -= 1;
            fraction += 1;
        }
        else if (fraction >= 1)
        {
            floor += 1;
            fraction -= 1;
        }

        return ((int)floor, fraction);
    }

    private static double LowerSum(int n, double x, int floorNx, double alpha)
    {
        var terms = n - floorNx;
        double size = n;
        var sum = Math.Pow(1 - x, n) / x;

        // log C(n, v) grows to O(n): compensated summation keeps its rounding error near one ulp, and each
        // power's logarithm is taken of the ratio itself so that v log(.) stays within ~1e-11 for n = 10^6.
        double logBinomial = 0, compensation = 0;
        for (var v = 1; v < terms; v++)
        {
            var increment = Math.Log((double)(n - v + 1) / v) - compensation;
            var next = logBinomial + increment;
            compensation = next - logBinomial - increment;
            logBinomial = next;

            var above = (v + floorNx + alpha) / size;                 // x + v/n
            var below = ((double)(n - v - floorNx) - alpha) / size;   // 1 - x - v/n, exact before the subtraction
            var term = Math.Exp(logBinomial + ((v - 1) * Math.Log(above)) + ((n - v) * Math.Log(below)));
            sum += term;

            // SciPy's stopping rule: the remaining terms cannot change the sum.
            if (term != 0)
            {
                if (4.0 * (terms - v) * term < Eps * sum && v != terms - 1)
                    break;
            }
            else if (v > n / 2)
            {
                break;
            }
        }

        return sum;
    }
}
