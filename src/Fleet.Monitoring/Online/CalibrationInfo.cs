namespace Fleet.Monitoring.Online;

/// <summary>
/// How the threshold was found: <see cref="Paths"/> streams bootstrapped from <see cref="ReferenceRows"/>
/// reference rows, each simulated for <see cref="PathLength"/> samples; at the chosen threshold their mean
/// run length is <see cref="MeanRunLength"/> (± <see cref="StandardError"/>), with <see cref="Censored"/>
/// paths that never alarmed (counted as exponential tails, see the README). <see cref="UnmonitoredColumns"/>
/// names the columns that were constant or missing throughout the reference and are therefore ignored.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.CalibrationInfo")]
public sealed record CalibrationInfo(
    [property: Id(0)] int Paths,
    [property: Id(1)] int PathLength,
    [property: Id(2)] int Censored,
    [property: Id(3)] double MeanRunLength,
    [property: Id(4)] double StandardError,
    [property: Id(5)] int ReferenceRows,
    [property: Id(6)] string[] UnmonitoredColumns);
