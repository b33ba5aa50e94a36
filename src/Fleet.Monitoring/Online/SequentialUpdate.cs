namespace Fleet.Monitoring.Online;

/// <summary>
/// What one <see cref="SequentialDetector.Update"/> call saw. <see cref="SamplesSeen"/> counts every row
/// the state has consumed, this call included. On an alarm, <see cref="AlarmRow"/> is the index within
/// this call's rows (later rows were not consumed) and <see cref="AlarmColumns"/> the columns whose
/// statistic was over the threshold there. <see cref="MaxStatistic"/> is the largest column statistic
/// after the last consumed row: how close the stream is to an alarm.
/// </summary>
public sealed record SequentialUpdate(
    bool Alarm,
    long SamplesSeen,
    int? AlarmRow,
    string[] AlarmColumns,
    double MaxStatistic,
    double Threshold);
