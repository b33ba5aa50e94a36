namespace Fleet.Statistics;

/// <summary>
/// One lock and its pair of buffers in <see cref="VersionStatsRecorder"/>: threads record into the stripe
/// of the processor they run on, so concurrent requests rarely share a lock.
/// </summary>
internal sealed class RecorderStripe(RecorderBuffer active, RecorderBuffer spare)
{
    public Lock Gate { get; } = new();

    /// <summary>Written by record calls under <see cref="Gate"/>.</summary>
    public RecorderBuffer Active { get; set; } = active;

    /// <summary>Touched only by the snapshot taker.</summary>
    public RecorderBuffer Spare { get; set; } = spare;
}
