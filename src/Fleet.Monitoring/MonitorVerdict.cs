namespace Fleet.Monitoring;

/// <summary>The outcome every monitor in this library reports.</summary>
[GenerateSerializer, Alias("fleet.MonitorVerdict")]
public enum MonitorVerdict
{
    Ok,
    Alarm,
    InsufficientData,
}
