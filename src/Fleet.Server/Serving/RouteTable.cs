using Fleet.Abstractions.Hosts;
using Fleet.Abstractions.Models;
using System.Collections.Frozen;

namespace Fleet.Server.Serving;

/// <summary>
/// The hot path's view of this silo: one immutable snapshot of every model's slot, read without a lock and
/// replaced whole on each change. A request takes a reference on the version it runs (<see cref="ServedModel.TryAcquire"/>),
/// so a swap never disposes a session under it.
/// </summary>
internal sealed class RouteTable
{
    private readonly Lock _swapLock = new();
    private volatile FrozenDictionary<string, ModelSlot> _slots = FrozenDictionary<string, ModelSlot>.Empty;

    public IReadOnlyCollection<ModelSlot> Slots => _slots.Values;

    public bool TryGet(string model, out ModelSlot slot) => _slots.TryGetValue(model, out slot!);

    /// <summary>Replaces <paramref name="slot"/>'s model entry; writers are serialised, readers never wait.</summary>
    public void Set(ModelSlot slot)
    {
        lock (_swapLock)
        {
            var next = new Dictionary<string, ModelSlot>(_slots, StringComparer.Ordinal) { [slot.Route.Model] = slot };
            _slots = next.ToFrozenDictionary(StringComparer.Ordinal);
        }
    }

    /// <summary>Whether <paramref name="served"/> is the live version of its model here.</summary>
    public bool IsLive(ServedModel served) => _slots.TryGetValue(served.Model, out var slot) && ReferenceEquals(slot.Live, served);

    /// <summary>A reference to the live (or last-known-good) version, if loaded. No await, no grain call.</summary>
    public bool TryAcquire(string model, bool fallback, out ModelLease lease)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            if (!_slots.TryGetValue(model, out var slot) || (fallback ? slot.Fallback : slot.Live) is not { } served)
                break;

            // Fails only when this version was swapped out and disposed between the read and now: re-read.
            if (served.TryAcquire())
            {
                lease = new ModelLease(served);
                return true;
            }
        }

        lease = default;
        return false;
    }

    /// <summary>Slots whose live version failed to load here (this host cannot serve it).</summary>
    public IReadOnlyList<ModelSlot> FailedLoads() => _slots.Values
        .Where(s => s.Route.LiveVersion is not null && s.Status is { State: LoadState.Failed })
        .OrderBy(s => s.Route.Model, StringComparer.Ordinal)
        .ToArray();

    /// <summary>The live and last-known-good versions loaded here, each once.</summary>
    public IEnumerable<(ServedModel Served, VersionRole Role)> Loaded()
    {
        foreach (var slot in _slots.Values)
        {
            if (slot.Live is { } live)
                yield return (live, VersionRole.Live);
            if (slot.Fallback is { } fallback)
                yield return (fallback, VersionRole.Fallback);
        }
    }
}
