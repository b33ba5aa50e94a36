namespace Fleet.Guardrails;

/// <summary>What an input rule does when a value breaks it.</summary>
public enum GuardMode
{
    /// <summary>Not checked.</summary>
    Off = 0,

    /// <summary>Reported in <see cref="InputCheck.Violations"/>; the prediction goes ahead.</summary>
    Flag = 1,

    /// <summary>Reported and <see cref="InputCheck.Reject"/> is set: the caller refuses the request.</summary>
    Reject = 2,

    /// <summary>
    /// Missing values only: a missing value of a feature that does not allow them is replaced by the feature's
    /// reference median before the model runs, and reported as an <c>imputed</c> violation (counted in stats).
    /// </summary>
    Impute = 3,
}
