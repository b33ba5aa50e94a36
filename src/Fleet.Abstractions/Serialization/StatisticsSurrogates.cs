using Fleet.Statistics;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Serializers;

namespace Fleet.Abstractions.Serialization;

// Fleet.Statistics knows nothing of Orleans: its records cross grain calls through these surrogates
// (RecordSurrogateCodec keeps the bytes the annotated records had).
// Field ids are the ones the records carried when they were annotated themselves, so stored state reads back.

[GenerateSerializer]
internal struct SketchDataSurrogate
{
    [Id(0)] public double Alpha;
    [Id(1)] public int MaxBucketsPerSign;
    [Id(2)] public long ZeroCount;
    [Id(3)] public long Count;
    [Id(4)] public double Min;
    [Id(5)] public double Max;
    [Id(6)] public double Sum;
    [Id(7)] public int PositiveOffset;
    [Id(8)] public long[] PositiveCounts;
    [Id(9)] public int NegativeOffset;
    [Id(10)] public long[] NegativeCounts;
}

[RegisterSerializer]
internal sealed class SketchDataCodec(IValueSerializer<SketchDataSurrogate> surrogates) : RecordSurrogateCodec<SketchData, SketchDataSurrogate, SketchDataConverter>(surrogates);

internal sealed class SketchDataConverter : IConverter<SketchData, SketchDataSurrogate>
{
    public SketchData ConvertFromSurrogate(in SketchDataSurrogate s) =>
        new(s.Alpha, s.MaxBucketsPerSign, s.ZeroCount, s.Count, s.Min, s.Max, s.Sum, s.PositiveOffset, s.PositiveCounts ?? [], s.NegativeOffset, s.NegativeCounts ?? []);

    public SketchDataSurrogate ConvertToSurrogate(in SketchData v) => new()
    {
        Alpha = v.Alpha, MaxBucketsPerSign = v.MaxBucketsPerSign, ZeroCount = v.ZeroCount, Count = v.Count, Min = v.Min, Max = v.Max,
        Sum = v.Sum, PositiveOffset = v.PositiveOffset, PositiveCounts = v.PositiveCounts, NegativeOffset = v.NegativeOffset,
        NegativeCounts = v.NegativeCounts,
    };
}

[RegisterCopier]
internal sealed class SketchDataCopier : ShallowCopier<SketchData>;

[GenerateSerializer]
internal struct StatsSnapshotSurrogate
{
    [Id(0)] public DateTimeOffset Start;
    [Id(1)] public DateTimeOffset End;
    [Id(2)] public long Requests;
    [Id(3)] public long Rows;
    [Id(4)] public IReadOnlyDictionary<string, long> Errors;
    [Id(5)] public IReadOnlyDictionary<string, long> Fallbacks;
    [Id(6)] public IReadOnlyDictionary<string, long> Violations;
    [Id(7)] public long Outliers;
    [Id(8)] public SketchData Latency;
    [Id(9)] public string[] FeatureNames;
    [Id(10)] public SketchData[] Features;
    [Id(11)] public long[] FeatureMissing;
    [Id(12)] public long[] ClassCounts;
    [Id(13)] public SketchData Confidence;
    [Id(14)] public SketchData Values;
}

[RegisterSerializer]
internal sealed class StatsSnapshotCodec(IValueSerializer<StatsSnapshotSurrogate> surrogates) : RecordSurrogateCodec<StatsSnapshot, StatsSnapshotSurrogate, StatsSnapshotConverter>(surrogates);

internal sealed class StatsSnapshotConverter : IConverter<StatsSnapshot, StatsSnapshotSurrogate>
{
    public StatsSnapshot ConvertFromSurrogate(in StatsSnapshotSurrogate s) =>
        new(s.Start, s.End, s.Requests, s.Rows, s.Errors, s.Fallbacks, s.Violations, s.Outliers, s.Latency, s.FeatureNames, s.Features,
            s.FeatureMissing, s.ClassCounts, s.Confidence, s.Values);

    public StatsSnapshotSurrogate ConvertToSurrogate(in StatsSnapshot v) => new()
    {
        Start = v.Start, End = v.End, Requests = v.Requests, Rows = v.Rows, Errors = v.Errors, Fallbacks = v.Fallbacks,
        Violations = v.Violations, Outliers = v.Outliers, Latency = v.Latency, FeatureNames = v.FeatureNames, Features = v.Features,
        FeatureMissing = v.FeatureMissing, ClassCounts = v.ClassCounts, Confidence = v.Confidence, Values = v.Values,
    };
}

[RegisterCopier]
internal sealed class StatsSnapshotCopier : ShallowCopier<StatsSnapshot>;

[GenerateSerializer]
internal struct StatsWindowSlotSurrogate
{
    [Id(0)] public long Key;
    [Id(1)] public StatsSnapshot Snapshot;
}

[RegisterSerializer]
internal sealed class StatsWindowSlotCodec(IValueSerializer<StatsWindowSlotSurrogate> surrogates) : RecordSurrogateCodec<StatsWindowSlot, StatsWindowSlotSurrogate, StatsWindowSlotConverter>(surrogates);

internal sealed class StatsWindowSlotConverter : IConverter<StatsWindowSlot, StatsWindowSlotSurrogate>
{
    public StatsWindowSlot ConvertFromSurrogate(in StatsWindowSlotSurrogate s) => new(s.Key, s.Snapshot);

    public StatsWindowSlotSurrogate ConvertToSurrogate(in StatsWindowSlot v) => new() { Key = v.Key, Snapshot = v.Snapshot };
}

[RegisterCopier]
internal sealed class StatsWindowSlotCopier : ShallowCopier<StatsWindowSlot>;

[GenerateSerializer]
internal struct StatsWindowsStateSurrogate
{
    [Id(0)] public long LatestMinute;
    [Id(1)] public StatsWindowSlot[] Minutes;
    [Id(2)] public StatsWindowSlot[] Hours;
    [Id(3)] public long DroppedSnapshots;
}

[RegisterSerializer]
internal sealed class StatsWindowsStateCodec(IValueSerializer<StatsWindowsStateSurrogate> surrogates) : RecordSurrogateCodec<StatsWindowsState, StatsWindowsStateSurrogate, StatsWindowsStateConverter>(surrogates);

internal sealed class StatsWindowsStateConverter : IConverter<StatsWindowsState, StatsWindowsStateSurrogate>
{
    public StatsWindowsState ConvertFromSurrogate(in StatsWindowsStateSurrogate s) => new(s.LatestMinute, s.Minutes ?? [], s.Hours ?? [], s.DroppedSnapshots);

    public StatsWindowsStateSurrogate ConvertToSurrogate(in StatsWindowsState v) =>
        new() { LatestMinute = v.LatestMinute, Minutes = v.Minutes, Hours = v.Hours, DroppedSnapshots = v.DroppedSnapshots };
}

[RegisterCopier]
internal sealed class StatsWindowsStateCopier : ShallowCopier<StatsWindowsState>;
