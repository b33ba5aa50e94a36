namespace Fleet.Server.Monitoring;

/// <summary>Served predictions kept for <see cref="MonitoringOptions.PredictionRetention"/>: in memory (embedded) or in Redis (cluster).</summary>
internal interface IPredictionStore
{
    Task AppendAsync(IReadOnlyList<PredictionRecord> records, CancellationToken cancellationToken);

    /// <summary>By request id; null where none is kept (unknown or expired).</summary>
    Task<PredictionRecord?[]> FindAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken);

    /// <summary>A version's predictions since <paramref name="since"/>, oldest first.</summary>
    Task<List<PredictionRecord>> QueryAsync(string model, string version, DateTimeOffset since, CancellationToken cancellationToken);
}
