using Fleet.Monitoring;
using Fleet.Monitoring.Multivariate;
using Fleet.Monitoring.Online;
using Fleet.Monitoring.Quality;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Serializers;

namespace Fleet.Abstractions.Serialization;

// Fleet.Monitoring knows nothing of Orleans: its results and detector state cross grain calls through these
// surrogates (enums need none). Field ids are the ones the types carried when they were annotated themselves,
// so stored state reads back.

[GenerateSerializer]
internal struct ReconstructionResultSurrogate
{
    [Id(0)] public MonitorVerdict Verdict;
    [Id(1)] public double Error;
    [Id(2)] public double ReferenceError;
    [Id(3)] public double Lower;
    [Id(4)] public double Upper;
    [Id(5)] public int Components;
    [Id(6)] public int Count;
}

[RegisterSerializer]
internal sealed class ReconstructionResultCodec(IValueSerializer<ReconstructionResultSurrogate> surrogates) : RecordSurrogateCodec<ReconstructionResult, ReconstructionResultSurrogate, ReconstructionResultConverter>(surrogates);

internal sealed class ReconstructionResultConverter : IConverter<ReconstructionResult, ReconstructionResultSurrogate>
{
    public ReconstructionResult ConvertFromSurrogate(in ReconstructionResultSurrogate s) =>
        new(s.Verdict, s.Error, s.ReferenceError, s.Lower, s.Upper, s.Components, s.Count);

    public ReconstructionResultSurrogate ConvertToSurrogate(in ReconstructionResult v) => new()
    {
        Verdict = v.Verdict, Error = v.Error, ReferenceError = v.ReferenceError, Lower = v.Lower, Upper = v.Upper,
        Components = v.Components, Count = v.Count,
    };
}

[RegisterCopier]
internal sealed class ReconstructionResultCopier : ShallowCopier<ReconstructionResult>;

[GenerateSerializer]
internal struct CalibrationCheckSurrogate
{
    [Id(0)] public int Count;
    [Id(1)] public double EceBefore;
    [Id(2)] public double EceAfter;
    [Id(3)] public bool Calibrated;
}

[RegisterSerializer]
internal sealed class CalibrationCheckCodec(IValueSerializer<CalibrationCheckSurrogate> surrogates) : RecordSurrogateCodec<CalibrationCheck, CalibrationCheckSurrogate, CalibrationCheckConverter>(surrogates);

internal sealed class CalibrationCheckConverter : IConverter<CalibrationCheck, CalibrationCheckSurrogate>
{
    public CalibrationCheck ConvertFromSurrogate(in CalibrationCheckSurrogate s) => new(s.Count, s.EceBefore, s.EceAfter, s.Calibrated);

    public CalibrationCheckSurrogate ConvertToSurrogate(in CalibrationCheck v) =>
        new() { Count = v.Count, EceBefore = v.EceBefore, EceAfter = v.EceAfter, Calibrated = v.Calibrated };
}

[RegisterCopier]
internal sealed class CalibrationCheckCopier : ShallowCopier<CalibrationCheck>;

[GenerateSerializer]
internal struct ConfidenceCalibrationSurrogate
{
    [Id(0)] public double[] X;
    [Id(1)] public double[] Y;
    [Id(2)] public CalibrationCheck Check;
}

[RegisterSerializer]
internal sealed class ConfidenceCalibrationCodec(IValueSerializer<ConfidenceCalibrationSurrogate> surrogates) : RecordSurrogateCodec<ConfidenceCalibration, ConfidenceCalibrationSurrogate, ConfidenceCalibrationConverter>(surrogates);

internal sealed class ConfidenceCalibrationConverter : IConverter<ConfidenceCalibration, ConfidenceCalibrationSurrogate>
{
    public ConfidenceCalibration ConvertFromSurrogate(in ConfidenceCalibrationSurrogate s) => ConfidenceCalibration.FromPoints(s.X, s.Y, s.Check);

    public ConfidenceCalibrationSurrogate ConvertToSurrogate(in ConfidenceCalibration v)
    {
        var (x, y) = v.Points;
        return new() { X = x, Y = y, Check = v.Check };
    }
}

[RegisterCopier]
internal sealed class ConfidenceCalibrationCopier : ShallowCopier<ConfidenceCalibration>;

[GenerateSerializer]
internal struct ClassificationQualitySurrogate
{
    [Id(0)] public int Count;
    [Id(1)] public double Accuracy;
    [Id(2)] public double LogLoss;
    [Id(3)] public double F1;
}

[RegisterSerializer]
internal sealed class ClassificationQualityCodec(IValueSerializer<ClassificationQualitySurrogate> surrogates) : RecordSurrogateCodec<ClassificationQuality, ClassificationQualitySurrogate, ClassificationQualityConverter>(surrogates);

internal sealed class ClassificationQualityConverter : IConverter<ClassificationQuality, ClassificationQualitySurrogate>
{
    public ClassificationQuality ConvertFromSurrogate(in ClassificationQualitySurrogate s) => new(s.Count, s.Accuracy, s.LogLoss, s.F1);

    public ClassificationQualitySurrogate ConvertToSurrogate(in ClassificationQuality v) =>
        new() { Count = v.Count, Accuracy = v.Accuracy, LogLoss = v.LogLoss, F1 = v.F1 };
}

[RegisterCopier]
internal sealed class ClassificationQualityCopier : ShallowCopier<ClassificationQuality>;

[GenerateSerializer]
internal struct RegressionQualitySurrogate
{
    [Id(0)] public int Count;
    [Id(1)] public double Mae;
    [Id(2)] public double Rmse;
}

[RegisterSerializer]
internal sealed class RegressionQualityCodec(IValueSerializer<RegressionQualitySurrogate> surrogates) : RecordSurrogateCodec<RegressionQuality, RegressionQualitySurrogate, RegressionQualityConverter>(surrogates);

internal sealed class RegressionQualityConverter : IConverter<RegressionQuality, RegressionQualitySurrogate>
{
    public RegressionQuality ConvertFromSurrogate(in RegressionQualitySurrogate s) => new(s.Count, s.Mae, s.Rmse);

    public RegressionQualitySurrogate ConvertToSurrogate(in RegressionQuality v) => new() { Count = v.Count, Mae = v.Mae, Rmse = v.Rmse };
}

[RegisterCopier]
internal sealed class RegressionQualityCopier : ShallowCopier<RegressionQuality>;

[GenerateSerializer]
internal struct AccuracyEstimateSurrogate
{
    [Id(0)] public int Count;
    [Id(1)] public double Accuracy;
    [Id(2)] public double StandardError;
    [Id(3)] public MonitorVerdict Verdict;
}

[RegisterSerializer]
internal sealed class AccuracyEstimateCodec(IValueSerializer<AccuracyEstimateSurrogate> surrogates) : RecordSurrogateCodec<AccuracyEstimate, AccuracyEstimateSurrogate, AccuracyEstimateConverter>(surrogates);

internal sealed class AccuracyEstimateConverter : IConverter<AccuracyEstimate, AccuracyEstimateSurrogate>
{
    public AccuracyEstimate ConvertFromSurrogate(in AccuracyEstimateSurrogate s) => new(s.Count, s.Accuracy, s.StandardError, s.Verdict);

    public AccuracyEstimateSurrogate ConvertToSurrogate(in AccuracyEstimate v) =>
        new() { Count = v.Count, Accuracy = v.Accuracy, StandardError = v.StandardError, Verdict = v.Verdict };
}

[RegisterCopier]
internal sealed class AccuracyEstimateCopier : ShallowCopier<AccuracyEstimate>;

[GenerateSerializer]
internal struct LiveComparisonSurrogate
{
    [Id(0)] public string Version;
    [Id(1)] public ClassificationQuality? Classification;
    [Id(2)] public RegressionQuality? Regression;
    [Id(3)] public int CandidateOnlyCorrect;
    [Id(4)] public int LiveOnlyCorrect;
    [Id(5)] public double CandidateAbsErrorVariance;
    [Id(6)] public double LiveAbsErrorVariance;
    [Id(7)] public double AbsErrorCovariance;
}

[RegisterSerializer]
internal sealed class LiveComparisonCodec(IValueSerializer<LiveComparisonSurrogate> surrogates) : RecordSurrogateCodec<LiveComparison, LiveComparisonSurrogate, LiveComparisonConverter>(surrogates);

internal sealed class LiveComparisonConverter : IConverter<LiveComparison, LiveComparisonSurrogate>
{
    public LiveComparison ConvertFromSurrogate(in LiveComparisonSurrogate s) =>
        new(s.Version, s.Classification, s.Regression, s.CandidateOnlyCorrect, s.LiveOnlyCorrect, s.CandidateAbsErrorVariance,
            s.LiveAbsErrorVariance, s.AbsErrorCovariance);

    public LiveComparisonSurrogate ConvertToSurrogate(in LiveComparison v) => new()
    {
        Version = v.Version, Classification = v.Classification, Regression = v.Regression, CandidateOnlyCorrect = v.CandidateOnlyCorrect,
        LiveOnlyCorrect = v.LiveOnlyCorrect, CandidateAbsErrorVariance = v.CandidateAbsErrorVariance,
        LiveAbsErrorVariance = v.LiveAbsErrorVariance, AbsErrorCovariance = v.AbsErrorCovariance,
    };
}

[RegisterCopier]
internal sealed class LiveComparisonCopier : ShallowCopier<LiveComparison>;

[GenerateSerializer]
internal struct VersionEvaluationSurrogate
{
    [Id(0)] public int Rows;
    [Id(1)] public ClassificationQuality? Classification;
    [Id(2)] public RegressionQuality? Regression;
    [Id(3)] public double Lower;
    [Id(4)] public double Upper;
    [Id(5)] public LiveComparison? Live;
    [Id(6)] public string? LiveNote;
}

[RegisterSerializer]
internal sealed class VersionEvaluationCodec(IValueSerializer<VersionEvaluationSurrogate> surrogates) : RecordSurrogateCodec<VersionEvaluation, VersionEvaluationSurrogate, VersionEvaluationConverter>(surrogates);

internal sealed class VersionEvaluationConverter : IConverter<VersionEvaluation, VersionEvaluationSurrogate>
{
    public VersionEvaluation ConvertFromSurrogate(in VersionEvaluationSurrogate s) =>
        new(s.Rows, s.Classification, s.Regression, s.Lower, s.Upper, s.Live, s.LiveNote);

    public VersionEvaluationSurrogate ConvertToSurrogate(in VersionEvaluation v) => new()
    {
        Rows = v.Rows, Classification = v.Classification, Regression = v.Regression, Lower = v.Lower, Upper = v.Upper, Live = v.Live,
        LiveNote = v.LiveNote,
    };
}

[RegisterCopier]
internal sealed class VersionEvaluationCopier : ShallowCopier<VersionEvaluation>;

[GenerateSerializer]
internal struct PromotionCheckSurrogate
{
    [Id(0)] public string Evidence;
    [Id(1)] public string[] Refusals;
    [Id(2)] public VersionEvaluation? Evaluation;
}

[RegisterSerializer]
internal sealed class PromotionCheckCodec(IValueSerializer<PromotionCheckSurrogate> surrogates) : RecordSurrogateCodec<PromotionCheck, PromotionCheckSurrogate, PromotionCheckConverter>(surrogates);

internal sealed class PromotionCheckConverter : IConverter<PromotionCheck, PromotionCheckSurrogate>
{
    public PromotionCheck ConvertFromSurrogate(in PromotionCheckSurrogate s) => new(s.Evidence, s.Refusals ?? [], s.Evaluation);

    public PromotionCheckSurrogate ConvertToSurrogate(in PromotionCheck v) =>
        new() { Evidence = v.Evidence, Refusals = v.Refusals, Evaluation = v.Evaluation };
}

[RegisterCopier]
internal sealed class PromotionCheckCopier : ShallowCopier<PromotionCheck>;

[GenerateSerializer]
internal struct SequentialUpdateSurrogate
{
    [Id(0)] public bool Alarm;
    [Id(1)] public long SamplesSeen;
    [Id(2)] public int? AlarmRow;
    [Id(3)] public string[] AlarmColumns;
    [Id(4)] public double MaxStatistic;
    [Id(5)] public double Threshold;
}

[RegisterSerializer]
internal sealed class SequentialUpdateCodec(IValueSerializer<SequentialUpdateSurrogate> surrogates) : RecordSurrogateCodec<SequentialUpdate, SequentialUpdateSurrogate, SequentialUpdateConverter>(surrogates);

internal sealed class SequentialUpdateConverter : IConverter<SequentialUpdate, SequentialUpdateSurrogate>
{
    public SequentialUpdate ConvertFromSurrogate(in SequentialUpdateSurrogate s) =>
        new(s.Alarm, s.SamplesSeen, s.AlarmRow, s.AlarmColumns ?? [], s.MaxStatistic, s.Threshold);

    public SequentialUpdateSurrogate ConvertToSurrogate(in SequentialUpdate v) => new()
    {
        Alarm = v.Alarm, SamplesSeen = v.SamplesSeen, AlarmRow = v.AlarmRow, AlarmColumns = v.AlarmColumns, MaxStatistic = v.MaxStatistic,
        Threshold = v.Threshold,
    };
}

[RegisterCopier]
internal sealed class SequentialUpdateCopier : ShallowCopier<SequentialUpdate>;

[GenerateSerializer]
internal struct CalibrationInfoSurrogate
{
    [Id(0)] public int Paths;
    [Id(1)] public int PathLength;
    [Id(2)] public int Censored;
    [Id(3)] public double MeanRunLength;
    [Id(4)] public double StandardError;
    [Id(5)] public int ReferenceRows;
    [Id(6)] public string[] UnmonitoredColumns;
}

[RegisterSerializer]
internal sealed class CalibrationInfoCodec(IValueSerializer<CalibrationInfoSurrogate> surrogates) : RecordSurrogateCodec<CalibrationInfo, CalibrationInfoSurrogate, CalibrationInfoConverter>(surrogates);

internal sealed class CalibrationInfoConverter : IConverter<CalibrationInfo, CalibrationInfoSurrogate>
{
    public CalibrationInfo ConvertFromSurrogate(in CalibrationInfoSurrogate s) =>
        new(s.Paths, s.PathLength, s.Censored, s.MeanRunLength, s.StandardError, s.ReferenceRows, s.UnmonitoredColumns ?? []);

    public CalibrationInfoSurrogate ConvertToSurrogate(in CalibrationInfo v) => new()
    {
        Paths = v.Paths, PathLength = v.PathLength, Censored = v.Censored, MeanRunLength = v.MeanRunLength, StandardError = v.StandardError,
        ReferenceRows = v.ReferenceRows, UnmonitoredColumns = v.UnmonitoredColumns,
    };
}

[RegisterCopier]
internal sealed class CalibrationInfoCopier : ShallowCopier<CalibrationInfo>;

[GenerateSerializer]
internal struct SequentialDetectorDataSurrogate
{
    [Id(0)] public string[] Names;
    [Id(1)] public double[] Means;
    [Id(2)] public double[] Scales;
    [Id(3)] public double Slack;
    [Id(4)] public double Threshold;
    [Id(5)] public int ExpectedRunTime;
    [Id(6)] public CalibrationInfo Calibration;
}

[RegisterSerializer]
internal sealed class SequentialDetectorDataCodec(IValueSerializer<SequentialDetectorDataSurrogate> surrogates) : RecordSurrogateCodec<SequentialDetectorData, SequentialDetectorDataSurrogate, SequentialDetectorDataConverter>(surrogates);

internal sealed class SequentialDetectorDataConverter : IConverter<SequentialDetectorData, SequentialDetectorDataSurrogate>
{
    public SequentialDetectorData ConvertFromSurrogate(in SequentialDetectorDataSurrogate s) =>
        new(s.Names ?? [], s.Means ?? [], s.Scales ?? [], s.Slack, s.Threshold, s.ExpectedRunTime, s.Calibration);

    public SequentialDetectorDataSurrogate ConvertToSurrogate(in SequentialDetectorData v) => new()
    {
        Names = v.Names, Means = v.Means, Scales = v.Scales, Slack = v.Slack, Threshold = v.Threshold, ExpectedRunTime = v.ExpectedRunTime,
        Calibration = v.Calibration,
    };
}

[RegisterCopier]
internal sealed class SequentialDetectorDataCopier : ShallowCopier<SequentialDetectorData>;

// A running CUSUM is mutable, so it is copied (through the surrogate) rather than shared between grains.
[GenerateSerializer]
internal struct SequentialStateSurrogate
{
    [Id(0)] public double[] Upper;
    [Id(1)] public double[] Lower;
    [Id(2)] public long SamplesSeen;
    [Id(3)] public bool Alarmed;
}

[RegisterSerializer]
internal sealed class SequentialStateCodec(IValueSerializer<SequentialStateSurrogate> surrogates) : RecordSurrogateCodec<SequentialState, SequentialStateSurrogate, SequentialStateConverter>(surrogates);

internal sealed class SequentialStateConverter : IConverter<SequentialState, SequentialStateSurrogate>
{
    public SequentialState ConvertFromSurrogate(in SequentialStateSurrogate s) =>
        SequentialState.Restore(s.Upper ?? [], s.Lower ?? [], s.SamplesSeen, s.Alarmed);

    public SequentialStateSurrogate ConvertToSurrogate(in SequentialState v) =>
        new() { Upper = [.. v.Upper], Lower = [.. v.Lower], SamplesSeen = v.SamplesSeen, Alarmed = v.Alarmed };
}

[RegisterSerializer]
internal sealed class MonitorVerdictCodec : IntEnumCodec<MonitorVerdict>;

[RegisterCopier]
internal sealed class SequentialStateCopier : IDeepCopier<SequentialState>
{
    public SequentialState? DeepCopy(SequentialState? input, CopyContext context) =>
        input is null ? null : SequentialState.Restore([.. input.Upper], [.. input.Lower], input.SamplesSeen, input.Alarmed);
}
