namespace Fleet.Monitoring.Online;

/// <summary>
/// How the threshold was found: <see cref="Paths"/> streams bootstrapped from <see cref="ReferenceRows"/>
/// reference rows, each simulated for <see cref="PathLength"/> samples; at the chosen threshold their mean
/// run length is <see cref="MeanRunLength"/> (± <see cref="StandardError"/>), with <see cref="Censored"/>
/// paths that never alarmed (counted as exponential tails, see the README). <see cref="UnmonitoredColumns"/>
/// names the columns that were constant or missing throughout the reference and are therefore ignored.
/// </summary>
public sealed record CalibrationInfo(
    int Paths,
    int PathLength,
    int Censored,
    double MeanRunLength,
    double StandardError,
    int ReferenceRows,
    string[] UnmonitoredColumns);
