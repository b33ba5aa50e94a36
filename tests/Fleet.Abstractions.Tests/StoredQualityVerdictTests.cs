using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;
using Fleet.Monitoring.Quality;

namespace Fleet.Abstractions.Tests;

/// <summary>
/// Bytes of quality reports written while their verdict was a string (captured before <see cref="QualityVerdict"/>):
/// the enum writes the same bytes and reads the old ones, and JSON keeps the words (<c>quality-drop</c>).
/// </summary>
public sealed class StoredQualityVerdictTests
{
    private static readonly Dictionary<string, string> Stored = new()
    {
        ["ok"] =
            "IOhAAzIhgADgn55ZVN8IgQAAAAAAAAAA4IEAaMRhCAAAAAHCAwENIegAwgOBmpmZmZmZ6T+BmpmZmZmZ2T+BSOF6FK5H6T/gwQEh6ACiD4HsUbgehevpP4F7FK5H4XqUPwEB4CHoAFINgWZmZmZmZu4/gZqZmZmZmbk/gWZmZmZmZu4/4MEBwQFBBW9rQQd3aHlBAzEh6ABiCYEUrkfhehTuP4G4HoXrUbi+P4EUrkfhehTuP+DBAeA=",
        ["quality-drop"] =
            "IOhAAzIhgADgn55ZVN8IgQAAAAAAAAAA4IEAaMRhCAAAAAHCAwENIegAwgOBmpmZmZmZ6T+BmpmZmZmZ2T+BSOF6FK5H6T/gwQEh6ACiD4HsUbgehevpP4F7FK5H4XqUPwEB4CHoAFINgWZmZmZmZu4/gZqZmZmZmbk/gWZmZmZmZu4/4MEBwQFBGXF1YWxpdHktZHJvcEEHd2h5QQMxIegAYgmBFK5H4XoU7j+BuB6F61G4vj+BFK5H4XoU7j/gwQHg",
        ["estimated-quality-drop"] =
            "IOhAAzIhgADgn55ZVN8IgQAAAAAAAAAA4IEAaMRhCAAAAAHCAwENIegAwgOBmpmZmZmZ6T+BmpmZmZmZ2T+BSOF6FK5H6T/gwQEh6ACiD4HsUbgehevpP4F7FK5H4XqUPwEB4CHoAFINgWZmZmZmZu4/gZqZmZmZmbk/gWZmZmZmZu4/4MEBwQFBLWVzdGltYXRlZC1xdWFsaXR5LWRyb3BBB3doeUEDMSHoAGIJgRSuR+F6FO4/gbgehetRuL4/gRSuR+F6FO4/4MEB4A==",
        ["insufficient-data"] =
            "IOhAAzIhgADgn55ZVN8IgQAAAAAAAAAA4IEAaMRhCAAAAAHCAwENIegAwgOBmpmZmZmZ6T+BmpmZmZmZ2T+BSOF6FK5H6T/gwQEh6ACiD4HsUbgehevpP4F7FK5H4XqUPwEB4CHoAFINgWZmZmZmZu4/gZqZmZmZmbk/gWZmZmZmZu4/4MEBwQFBI2luc3VmZmljaWVudC1kYXRhQQd3aHlBAzEh6ABiCYEUrkfhehTuP4G4HoXrUbi+P4EUrkfhehTuP+DBAeA=",
    };

    [Theory]
    [InlineData(QualityVerdict.Ok)]
    [InlineData(QualityVerdict.QualityDrop)]
    [InlineData(QualityVerdict.EstimatedQualityDrop)]
    [InlineData(QualityVerdict.InsufficientData)]
    public void A_verdict_writes_and_reads_the_bytes_of_its_word(QualityVerdict verdict)
    {
        var bytes = Convert.FromBase64String(Stored[verdict.ToWire()]);
        var report = Report(verdict);

        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(OrleansRoundTrip.Serializer.SerializeToArray(report)));
        var read = OrleansRoundTrip.Serializer.Deserialize<QualityReport>(bytes)!;
        Assert.Equal(verdict, read.Verdict);
        Assert.Equal(report.BaselineClassification, read.BaselineClassification);
        Assert.Equal($"\"{verdict.ToWire()}\"", System.Text.Json.JsonSerializer.Serialize(verdict));
    }

    private static QualityReport Report(QualityVerdict verdict) =>
        new("2", new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(1), 120, 3, new ClassificationQuality(120, 0.8, 0.4, 0.79), null,
            new AccuracyEstimate(500, 0.81, 0.02, MonitorVerdict.Ok), new ClassificationQuality(426, 0.95, 0.1, 0.95), null, null, verdict, "why")
        { BaselineVersion = "1", BaselineClassification = new ClassificationQuality(300, 0.94, 0.12, 0.94) };
}
