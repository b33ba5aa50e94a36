namespace Fleet.Monitoring.Online;

/// <summary>
/// What one <see cref="SequentialDetector.Update"/> call saw. <see cref="SamplesSeen"/> counts every row
/// the state has consumed, this call included. On an alarm, <see cref="AlarmRow"/> is the index within
/// this call's rows (later rows were not consumed) and <see cref="AlarmColumns"/> the columns whose
/// statistic was over the threshold there. <see cref="MaxStatistic"/> is the largest column statistic
/// after the last consumed row: how close the stream is to an alarm.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.SequentialUpdate")]
public sealed record SequentialUpdate(
    [property: Id(0)] bool Alarm,
    [property: Id(1)] long SamplesSeen,
    [property: Id(2)] int? AlarmRow,
    [property: Id(3)] string[] AlarmColumns,
    [property: Id(4)] double MaxStatistic,
    [property: Id(5)] double Threshold);
