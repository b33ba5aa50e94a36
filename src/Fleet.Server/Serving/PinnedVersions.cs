using System.Collections.Concurrent;

namespace Fleet.Server.Serving;

/// <summary>
/// Versions other than the live one, loaded on demand when a request names them (<c>/v2/models/m/versions/v/infer</c>)
/// and kept among a few: the load is shared by concurrent callers, each waiting with its own token. The cache holds
/// one reference on each session and lets it go when evicted (a registry change, the cap).
/// </summary>
internal sealed class PinnedVersions(Func<string, string, Task<ServedModel>> load, int capacity = PinnedVersions.DefaultCapacity) : IDisposable
{
    public const int DefaultCapacity = 8;

    private readonly ConcurrentDictionary<(string Model, string Version), Lazy<Task<ServedModel>>> _loads = new();

    /// <summary>A reference to <paramref name="model"/> <paramref name="version"/>, loading it if needed; the caller releases it.</summary>
    public async Task<ModelLease> AcquireAsync(string model, string version, Action firstUse, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var key = (model, version);
            // The shared load must not depend on the first caller's connection.
            var lazy = _loads.GetOrAdd(key, k => new Lazy<Task<ServedModel>>(() => load(k.Model, k.Version)));
            ServedModel served;
            try
            {
                served = await lazy.Value.WaitAsync(cancellationToken);
            }
            catch
            {
                _loads.TryRemove(new KeyValuePair<(string, string), Lazy<Task<ServedModel>>>(key, lazy));
                throw;
            }

            // Evicted (quarantine, trim) while loading: do not serve it; the next attempt reloads from the registry.
            if (_loads.TryGetValue(key, out var current) && ReferenceEquals(current, lazy) && served.TryAcquire())
            {
                Trim();
                if (served.Health.LastProbe is null)
                    firstUse();
                return new ModelLease(served);
            }
        }

        throw new ModelUnavailableException($"version '{version}' of model '{model}' was unloaded while the request waited; retry");
    }

    /// <summary>The sessions loaded so far (a load still running or failed is left out).</summary>
    public IEnumerable<ServedModel> Loaded(string? model = null) => _loads
        .Where(kv => (model is null || kv.Key.Model == model) && kv.Value.IsValueCreated && kv.Value.Value.IsCompletedSuccessfully)
        .Select(kv => kv.Value.Value.Result);

    /// <summary>Drops a model's sessions after its registry entry changed (a version may have been quarantined).</summary>
    public void Evict(string model)
    {
        foreach (var key in _loads.Keys.Where(k => k.Model == model).ToArray())
        {
            if (_loads.TryRemove(key, out var lazy))
                ReleaseWhenLoaded(lazy);
        }
    }

    private void Trim()
    {
        while (_loads.Count > capacity)
        {
            var victim = _loads.Keys.FirstOrDefault();
            if (_loads.TryRemove(victim, out var lazy))
                ReleaseWhenLoaded(lazy);
        }
    }

    /// <summary>Releases the cache's reference of an evicted version, now or when its load completes.</summary>
    private static void ReleaseWhenLoaded(Lazy<Task<ServedModel>> lazy)
    {
        if (lazy.IsValueCreated)
        {
            _ = lazy.Value.ContinueWith(t => t.Result.Release(), CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    public void Dispose()
    {
        foreach (var served in Loaded())
            served.Release();
    }
}
