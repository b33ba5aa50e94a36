namespace Fleet.Monitoring;

/// <summary>The outcome every monitor in this library reports.</summary>
public enum MonitorVerdict
{
    Ok,
    Alarm,
    InsufficientData,
}
