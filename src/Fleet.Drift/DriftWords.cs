namespace Fleet.Drift;

/// <summary>The wire names of drift verdicts and p-value corrections (API, CLI and reports).</summary>
public static class DriftWords
{
    /// <summary>"no-drift", "drift", "insufficient-data", "suspected" (a feature) or "warning" (overall).</summary>
    public static string ToWire(this DriftVerdict verdict) => verdict switch
    {
        DriftVerdict.NoDrift => "no-drift",
        DriftVerdict.Drift => "drift",
        DriftVerdict.InsufficientData => "insufficient-data",
        DriftVerdict.Suspected => "suspected",
        DriftVerdict.Warning => "warning",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "unknown drift verdict"),
    };

    /// <summary>"none", "bonferroni" or "bh".</summary>
    public static string ToWire(this PValueCorrection correction) => correction switch
    {
        PValueCorrection.None => "none",
        PValueCorrection.Bonferroni => "bonferroni",
        PValueCorrection.BenjaminiHochberg => "bh",
        _ => throw new ArgumentOutOfRangeException(nameof(correction), correction, "unknown p-value correction"),
    };

    /// <summary>
    /// Parses "none", "bonferroni", "bh" or "benjamini-hochberg" (case-insensitive, surrounding blanks ignored).
    /// </summary>
    public static bool TryParseCorrection(string? text, out PValueCorrection correction)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "none":
                correction = PValueCorrection.None;
                return true;
            case "bonferroni":
                correction = PValueCorrection.Bonferroni;
                return true;
            case "bh" or "benjamini-hochberg":
                correction = PValueCorrection.BenjaminiHochberg;
                return true;
            default:
                correction = default;
                return false;
        }
    }
}
