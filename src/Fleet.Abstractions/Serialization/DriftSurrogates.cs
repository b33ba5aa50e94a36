using Fleet.Drift;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Serializers;

namespace Fleet.Abstractions.Serialization;

// Fleet.Drift knows nothing of Orleans: its reports cross grain calls through these surrogates (enums need none).
// Field ids are the ones the records carried when they were annotated themselves, so stored state reads back.

[GenerateSerializer]
internal struct FeatureDriftSurrogate
{
    [Id(0)] public string Name;
    [Id(1)] public FeatureKind Kind;
    [Id(2)] public string Test;
    [Id(3)] public double Statistic;
    [Id(4)] public double PValue;
    [Id(5)] public double AdjustedPValue;
    [Id(6)] public string EffectMeasure;
    [Id(7)] public double EffectSize;
    [Id(8)] public double Psi;
    [Id(9)] public DriftVerdict Verdict;
    [Id(10)] public int ReferenceCount;
    [Id(11)] public int CurrentCount;
    [Id(12)] public string? Confirmation;
}

[RegisterSerializer]
internal sealed class FeatureDriftCodec(IValueSerializer<FeatureDriftSurrogate> surrogates) : RecordSurrogateCodec<FeatureDrift, FeatureDriftSurrogate, FeatureDriftConverter>(surrogates);

internal sealed class FeatureDriftConverter : IConverter<FeatureDrift, FeatureDriftSurrogate>
{
    public FeatureDrift ConvertFromSurrogate(in FeatureDriftSurrogate s) =>
        new(s.Name, s.Kind, s.Test, s.Statistic, s.PValue, s.AdjustedPValue, s.EffectMeasure, s.EffectSize, s.Psi, s.Verdict,
            s.ReferenceCount, s.CurrentCount) { Confirmation = s.Confirmation };

    public FeatureDriftSurrogate ConvertToSurrogate(in FeatureDrift v) => new()
    {
        Name = v.Name, Kind = v.Kind, Test = v.Test, Statistic = v.Statistic, PValue = v.PValue, AdjustedPValue = v.AdjustedPValue,
        EffectMeasure = v.EffectMeasure, EffectSize = v.EffectSize, Psi = v.Psi, Verdict = v.Verdict, ReferenceCount = v.ReferenceCount,
        CurrentCount = v.CurrentCount, Confirmation = v.Confirmation,
    };
}

[RegisterCopier]
internal sealed class FeatureDriftCopier : ShallowCopier<FeatureDrift>;

[GenerateSerializer]
internal struct DriftReportSurrogate
{
    [Id(0)] public DriftVerdict Overall;
    [Id(1)] public string Reason;
    [Id(2)] public double DriftedShare;
    [Id(3)] public int ReferenceCount;
    [Id(4)] public int CurrentCount;
    [Id(5)] public FeatureDrift[] Features;
    [Id(6)] public string[]? Reasons;
}

[RegisterSerializer]
internal sealed class DriftReportCodec(IValueSerializer<DriftReportSurrogate> surrogates) : RecordSurrogateCodec<DriftReport, DriftReportSurrogate, DriftReportConverter>(surrogates);

internal sealed class DriftReportConverter : IConverter<DriftReport, DriftReportSurrogate>
{
    public DriftReport ConvertFromSurrogate(in DriftReportSurrogate s) =>
        new(s.Overall, s.Reason, s.DriftedShare, s.ReferenceCount, s.CurrentCount, s.Features ?? []) { Reasons = s.Reasons ?? [] };

    public DriftReportSurrogate ConvertToSurrogate(in DriftReport v) => new()
    {
        Overall = v.Overall, Reason = v.Reason, DriftedShare = v.DriftedShare, ReferenceCount = v.ReferenceCount,
        CurrentCount = v.CurrentCount, Features = v.Features, Reasons = v.Reasons,
    };
}

[RegisterCopier]
internal sealed class DriftReportCopier : ShallowCopier<DriftReport>;

[RegisterSerializer]
internal sealed class DriftVerdictCodec : IntEnumCodec<DriftVerdict>;

[RegisterSerializer]
internal sealed class FeatureKindCodec : IntEnumCodec<FeatureKind>;

[RegisterSerializer]
internal sealed class PValueCorrectionCodec : IntEnumCodec<PValueCorrection>;
