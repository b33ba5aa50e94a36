namespace Fleet.Drift.Kolmogorov;

/// <summary>
/// Pelz and Good's (1976) approximation to Pr(D_n &lt;= x): the Li-Chien/Korolyuk expansion
/// K0 + K1/sqrt(n) + K2/n + K3/n^1.5 in z = x sqrt(n), rewritten with Jacobi theta identities so that it
/// converges for small z. SciPy uses it for large n away from the tails.
/// </summary>
internal static class PelzGood
{
    private const double PiSquared = Math.PI * Math.PI;
    private const double PiFour = PiSquared * PiSquared;
    private const double PiSix = PiFour * PiSquared;
    private const double MinLog = -708;
    private static readonly double s_sqrt2Pi = Math.Sqrt(2 * Math.PI);
    private static readonly double s_sqrt3 = Math.Sqrt(3);

    public static double Cdf(int n, double x)
    {
        if (x <= 0.0)
            return 0.0;
        if (x >= 1.0)
            return 1.0;

        var z = Math.Sqrt(n) * x;
        double zSquared = z * z, zThree = z * z * z, zFour = zSquared * zSquared, zSix = zThree * zThree;
        var qLog = -PiSquared / 8 / zSquared;
        if (qLog < MinLog)
            return 0.0;
        var q = Math.Exp(qLog);

        var k1a = -zSquared;
        var k1b = PiSquared / 4;
        var k2a = (6 * zSix) + (2 * zFour);
        var k2b = ((2 * zFour) - (5 * zSquared)) * PiSquared / 4;
        var k2c = PiFour * (1 - (2 * zSquared)) / 16;
        var k3d = PiSix * (5 - (30 * zSquared)) / 64;
        var k3c = PiFour * ((-60 * zSquared) + (212 * zFour)) / 16;
        var k3b = PiSquared * ((135 * zFour) - (96 * zSix)) / 4;
        var k3a = (-30 * zSix) - (90 * Math.Pow(z, 8));

        // Horner scheme over odd m = 2k - 1 of c_m q^(m^2).
        double k0 = 0, kOne = 0, kTwo = 0, kThree = 0;
        var maxK = (int)Math.Ceiling(16 * z / Math.PI);
        for (var k = maxK; k > 0; k--)
        {
            double m = (2 * k) - 1;
            double mSquared = m * m, mFour = mSquared * mSquared, mSix = mFour * mSquared;
            var qPower = Math.Pow(q, 8 * k);
            k0 = (k0 * qPower) + 1.0;
            kOne = (kOne * qPower) + k1a + (k1b * mSquared);
            kTwo = (kTwo * qPower) + k2a + (k2b * mSquared) + (k2c * mFour);
            kThree = (kThree * qPower) + k3a + (k3b * mSquared) + (k3c * mFour) + (k3d * mSix);
        }

        var scale = q * s_sqrt2Pi;
        k0 *= scale / z;
        kOne *= scale / (6 * zFour);
        kTwo *= scale / (72 * Math.Pow(z, 7));
        kThree *= scale / (6480 * Math.Pow(z, 10));

        // The remaining sums over all integers k for K2 and K3.
        var qAll = Math.Exp(-PiSquared / 2 / zSquared);
        var sqrt3z = s_sqrt3 * z;
        double k2Extra = 0, k3Extra = 0;
        for (var k = maxK; k > 0; k--)
        {
            double kSquared = (double)k * k;
            var qPower = Math.Pow(qAll, kSquared);
            var kPi = Math.PI * k;
            k2Extra += kSquared * qPower;
            k3Extra += (sqrt3z + kPi) * (sqrt3z - kPi) * kSquared * qPower;
        }

        kTwo += k2Extra * PiSquared * s_sqrt2Pi / (-36 * zThree);
        kThree += k3Extra * PiSquared * s_sqrt2Pi / (216 * zSix);
        return k0 + (kOne / Math.Sqrt(n)) + (kTwo / n) + (kThree / (n * Math.Sqrt(n)));
    }
}
