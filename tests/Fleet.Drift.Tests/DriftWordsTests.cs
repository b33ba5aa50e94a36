namespace Fleet.Drift.Tests;

public sealed class DriftWordsTests
{
    [Fact]
    public void Verdicts_have_kebab_case_wire_names()
    {
        Assert.Equal(["no-drift", "drift", "insufficient-data", "suspected", "warning"], Enum.GetValues<DriftVerdict>().Select(v => v.ToWire()));
    }

    [Theory]
    [InlineData("none", PValueCorrection.None)]
    [InlineData("bonferroni", PValueCorrection.Bonferroni)]
    [InlineData("bh", PValueCorrection.BenjaminiHochberg)]
    [InlineData(" Benjamini-Hochberg ", PValueCorrection.BenjaminiHochberg)]
    public void Corrections_parse_from_their_names(string text, PValueCorrection expected)
    {
        Assert.True(DriftWords.TryParseCorrection(text, out var correction));
        Assert.Equal(expected, correction);
    }

    [Fact]
    public void Corrections_round_trip_through_their_wire_names_and_unknown_names_fail()
    {
        foreach (var correction in Enum.GetValues<PValueCorrection>())
        {
            Assert.True(DriftWords.TryParseCorrection(correction.ToWire(), out var parsed));
            Assert.Equal(correction, parsed);
        }

        Assert.False(DriftWords.TryParseCorrection("holm", out _));
        Assert.False(DriftWords.TryParseCorrection(null, out _));
    }
}
