namespace Fleet.Monitoring.Quality;

/// <summary>
/// Expected calibration error (10 equal-width bins) of the reference confidences as given
/// (<see cref="EceBefore"/>) and after isotonic calibration (<see cref="EceAfter"/>, cross-fitted: see
/// <see cref="ConfidenceCalibration"/>). <see cref="Calibrated"/> says the raw scores are usable as they
/// are (ECE ≤ 0.05).
/// </summary>
public sealed record CalibrationCheck(
    int Count,
    double EceBefore,
    double EceAfter,
    bool Calibrated);
