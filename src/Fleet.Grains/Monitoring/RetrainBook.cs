using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Monitoring;

namespace Fleet.Grains.Monitoring;

/// <summary>
/// A model's retraining requests as pure functions over the stored list (oldest first): one open request per model
/// that accumulates every trigger (<see cref="RetrainPolicy.Additions"/>), a new one opened when none is (acknowledged
/// closes it), at most <see cref="MaxRetained"/> kept (open ones never dropped), and the delivery outcomes recorded.
/// </summary>
internal static class RetrainBook
{
    public const int MaxRetained = 50;

    /// <summary>What a run's triggers did: opened a request (to be delivered), extended the open one with <see cref="Added"/>, or neither.</summary>
    public sealed record Change(RetrainRequest? Opened, RetrainRequest? Extended, RetrainReason[] Added);

    public static Change OpenOrExtend(List<RetrainRequest> book, string model, string version, IReadOnlyList<RetrainReason> fired,
        IReadOnlySet<string> fresh, string newId, DateTimeOffset now)
    {
        var open = book.FindLastIndex(r => r.Status == RetrainStatus.Open);
        if (open >= 0)
        {
            var existing = book[open];
            var added = RetrainPolicy.Additions(existing, version, fired, fresh);
            if (added.Length == 0)
            {
                return new Change(null, null, []);
            }

            book[open] = existing with { Triggers = [.. existing.Triggers, .. added] };
            return new Change(null, book[open], added);
        }

        var request = new RetrainRequest(newId, model, version, now, [.. fired], RetrainStatus.Open, null, null, null, []);
        book.Add(request);
        if (book.Count > MaxRetained)
        {
            book.RemoveAt(book.FindIndex(r => r.Status != RetrainStatus.Open));
        }

        return new Change(request, null, [.. fired]);
    }

    /// <summary>The signal the coordinator gets when a request opens: every trigger's sentence.</summary>
    public static FleetSignal Requested(RetrainRequest opened, DateTimeOffset now) => new(SignalKind.RetrainRequested, opened.Model, opened.Version, now,
        string.Join("; ", opened.Triggers.Select(t => t.Reason)), new Dictionary<string, double>());

    /// <summary>Acknowledges the open request (<paramref name="id"/>, or the latest); a model with none open is not found.</summary>
    public static RetrainRequest Ack(List<RetrainRequest> book, string model, string? id, string actor, string? note, DateTimeOffset now)
    {
        var index = book.FindLastIndex(r => r.Status == RetrainStatus.Open && (id is null || r.Id == id));
        if (index < 0)
        {
            throw new RegistryException(RegistryErrorKind.NotFound, id is null
                ? $"model '{model}' has no open retraining request"
                : $"id: model '{model}' has no open retraining request '{id}'");
        }

        book[index] = book[index] with { Status = RetrainStatus.Acked, AckedBy = actor, AckedAt = now, Note = note };
        return book[index];
    }

    /// <summary>Adds delivery outcomes to a request; false when there is nothing to record (none, or the request aged out).</summary>
    public static bool RecordDeliveries(List<RetrainRequest> book, string id, RetrainDelivery[] deliveries)
    {
        var index = book.FindIndex(r => r.Id == id);
        if (index < 0 || deliveries.Length == 0)
        {
            return false;
        }

        book[index] = book[index] with { Deliveries = [.. book[index].Deliveries, .. deliveries] };
        return true;
    }

    /// <summary>A notifier that threw, recorded on the request like any failed delivery (fleet retrain list shows it), not lost in a task.</summary>
    public static RetrainDelivery Crashed(Exception exception, DateTimeOffset now) =>
        new("delivery", now, false, $"delivering failed: {exception.GetType().Name}: {exception.Message}");
}
