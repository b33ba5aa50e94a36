using System.Collections.Concurrent;
using Fleet.Grains.Monitoring;
using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;

namespace Fleet.Tests.Infrastructure;

/// <summary>
/// A retraining "target" for the test cluster: every delivered request is kept, and reported delivered; for a model in
/// <see cref="ThrowFor"/> delivering throws instead.
/// </summary>
public sealed class RecordingRetrainNotifier : IRetrainNotifier
{
    public ConcurrentQueue<RetrainRequest> Delivered { get; } = new();

    public ConcurrentDictionary<string, byte> ThrowFor { get; } = new(StringComparer.Ordinal);

    public Task<RetrainDelivery[]> DeliverAsync(RetrainRequest request, string? modelWebhook, CancellationToken cancellationToken)
    {
        if (ThrowFor.ContainsKey(request.Model))
        {
            throw new InvalidOperationException("target unreachable");
        }

        Delivered.Enqueue(request);
        return Task.FromResult<RetrainDelivery[]>([new RetrainDelivery("test", request.OpenedAt, true, "recorded")]);
    }
}
