using Fleet.Statistics;

namespace Fleet.Abstractions.Statistics;

/// <summary>
/// Live statistics of one model version (key: <see cref="KeyOf"/>): every silo flushes what it aggregated
/// in process about once a second; the grain merges them into 1-minute and 1-hour slots.
/// </summary>
[Alias("fleet.IVersionStatsGrain")]
public interface IVersionStatsGrain : IGrainWithStringKey
{
    public static string KeyOf(string model, string version) => model + "/" + version;

    [Alias("Flush")]
    Task Flush(StatsSnapshot snapshot);

    /// <summary>Requests that counted against the version on a silo since its last flush (kept in memory, newest per kind).</summary>
    [Alias("AddSamples")]
    Task AddSamples(RequestSample[] samples);

    /// <summary>The newest sampled requests of each kind recorded in the last <paramref name="window"/>, newest first.</summary>
    [Alias("GetSamples")]
    Task<RequestSample[]> GetSamples(TimeSpan window);

    /// <summary>Everything recorded in the last <paramref name="window"/> (minute granularity), merged across silos.</summary>
    [Alias("Query")]
    Task<StatsSnapshot> Query(TimeSpan window);
}
