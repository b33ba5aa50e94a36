using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Fleet.Server.Monitoring;

/// <summary>
/// The cluster store: every silo writes its predictions to Redis, so a label can arrive at any silo. One key per
/// prediction with the retention as TTL, and per version a sorted set by time (trimmed to the retention and to
/// <see cref="MonitoringOptions.MaxRetainedRows"/> entries) for export.
/// </summary>
internal sealed class RedisPredictionStore(IConnectionMultiplexer redis, string prefix, IOptions<MonitoringOptions> options, TimeProvider time) : IPredictionStore
{
    private const int Batch = 500;

    // Features may be missing (NaN): JSON has no NaN literal unless asked for.
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public async Task AppendAsync(IReadOnlyList<PredictionRecord> records, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var retention = options.Value.PredictionRetention;
        var cutoff = (time.GetUtcNow() - retention).ToUnixTimeMilliseconds();
        var batch = db.CreateBatch();
        var writes = new List<Task>(records.Count * 2 + 8);
        foreach (var record in records)
        {
            writes.Add(batch.StringSetAsync(Key(record.Id), JsonSerializer.SerializeToUtf8Bytes(record, Json), retention));
            writes.Add(batch.SortedSetAddAsync(IndexKey(record.Model, record.Version), record.Id, record.Time.ToUnixTimeMilliseconds()));
        }

        foreach (var index in records.Select(r => IndexKey(r.Model, r.Version)).Distinct())
        {
            writes.Add(batch.SortedSetRemoveRangeByScoreAsync(index, double.NegativeInfinity, cutoff, Exclude.Stop));
            writes.Add(batch.SortedSetRemoveRangeByRankAsync(index, 0, -options.Value.MaxRetainedRows - 1));
            writes.Add(batch.KeyExpireAsync(index, retention));
        }

        batch.Execute();
        await Task.WhenAll(writes).WaitAsync(cancellationToken);
    }

    public async Task<PredictionRecord?[]> FindAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var result = new PredictionRecord?[ids.Count];
        for (var start = 0; start < ids.Count; start += Batch)
        {
            var keys = ids.Skip(start).Take(Batch).Select(id => (RedisKey)Key(id)).ToArray();
            var values = await db.StringGetAsync(keys).WaitAsync(cancellationToken);
            for (var i = 0; i < values.Length; i++)
            {
                result[start + i] = values[i].IsNull ? null : JsonSerializer.Deserialize<PredictionRecord>((byte[])values[i]!, Json);
            }
        }

        return result;
    }

    public async Task<List<PredictionRecord>> QueryAsync(string model, string version, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var ids = await db.SortedSetRangeByScoreAsync(IndexKey(model, version), since.ToUnixTimeMilliseconds()).WaitAsync(cancellationToken);
        var found = await FindAsync(ids.Select(i => i.ToString()).ToArray(), cancellationToken);
        return found.OfType<PredictionRecord>().Where(r => r.Model == model && r.Version == version).ToList();
    }

    private string Key(string id) => $"{prefix}:prediction:{id}";

    private string IndexKey(string model, string version) => $"{prefix}:predictions:{model}/{version}";
}
