using Fleet.Drift;

namespace Fleet.Drift.Tests;

/// <summary>The known-answer self-test passes on the real tests, and fails, saying why, when the tests cannot tell.</summary>
public sealed class DriftSelfTestTests
{
    [Fact]
    public void The_drift_tests_pass_their_known_answers()
    {
        var (passed, detail) = DriftSelfTest.Run();
        Assert.True(passed, detail);
        Assert.StartsWith("drift tests pass their known answers: same distribution no-drift (selftest_shifted ks p=", detail);
    }

    [Fact]
    public void A_test_that_can_no_longer_see_a_shift_fails_the_self_test_with_the_numbers()
    {
        var (passed, detail) = DriftSelfTest.Run(DriftSettings.Default with { Alpha = 1e-300 });
        Assert.False(passed);
        Assert.StartsWith("a 1-sd shift and moved category shares were not told apart from an unchanged feature: ", detail);
    }

    [Fact]
    public void A_test_that_sees_drift_everywhere_fails_the_self_test()
    {
        var (passed, detail) = DriftSelfTest.Run(DriftSettings.Default with { Alpha = 0.999999, Correction = PValueCorrection.None, NumericEffectThreshold = 0, CategoricalEffectThreshold = 0 });
        Assert.False(passed);
        Assert.StartsWith("a sample of the reference's own distribution drifted: ", detail);
    }
}
