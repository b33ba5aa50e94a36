using Microsoft.Extensions.Options;

namespace Fleet.Server.Monitoring;

/// <summary>The embedded store: bounded by rows and by age; the oldest predictions go first.</summary>
internal sealed class InMemoryPredictionStore(IOptions<MonitoringOptions> options, TimeProvider time) : IPredictionStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, PredictionRecord> _byId = new(StringComparer.Ordinal);
    private readonly Queue<PredictionRecord> _byAge = new();
    private long _rows;

    public Task AppendAsync(IReadOnlyList<PredictionRecord> records, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var record in records)
            {
                // A client may reuse an id; the newest prediction wins the join.
                _byId[record.Id] = record;
                _byAge.Enqueue(record);
                _rows += record.Rows;
            }

            Evict();
        }

        return Task.CompletedTask;
    }

    public Task<PredictionRecord?[]> FindAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Evict();
            return Task.FromResult(ids.Select(id => _byId.GetValueOrDefault(id)).ToArray());
        }
    }

    public Task<List<PredictionRecord>> QueryAsync(string model, string version, DateTimeOffset since, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Evict();
            return Task.FromResult(_byAge.Where(r => r.Model == model && r.Version == version && r.Time >= since
                && ReferenceEquals(_byId.GetValueOrDefault(r.Id), r)).ToList());
        }
    }

    private void Evict()
    {
        var limit = options.Value.MaxRetainedRows;
        var oldest = time.GetUtcNow() - options.Value.PredictionRetention;
        while (_byAge.TryPeek(out var first) && (_rows > limit || first.Time < oldest))
        {
            _byAge.Dequeue();
            _rows -= first.Rows;
            if (_byId.TryGetValue(first.Id, out var current) && ReferenceEquals(current, first))
            {
                _byId.Remove(first.Id);
            }
        }
    }
}
