namespace Fleet.Drift;

/// <summary>The outcome of a drift check for one feature or for a whole window (wire names: <see cref="DriftWords"/>).</summary>
public enum DriftVerdict
{
    NoDrift = 0,
    Drift = 1,

    /// <summary>Too few non-missing values to decide (<see cref="DriftSettings.MinSamples"/>).</summary>
    InsufficientData = 2,

    /// <summary>
    /// The window's test fired but the drift is not confirmed over time yet (<see cref="DriftConfirmation"/>):
    /// shown with its numbers, never acted on.
    /// </summary>
    Suspected = 3,

    /// <summary>
    /// Overall only: something fired with evidence too weak for <see cref="Drift"/> (a feature or detector
    /// suspected, drifted inputs below the share without a large effect). Shown with its reasons, never acted on.
    /// </summary>
    Warning = 4,
}
