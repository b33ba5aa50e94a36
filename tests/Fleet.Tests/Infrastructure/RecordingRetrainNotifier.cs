using System.Collections.Concurrent;
using Fleet.Grains.Monitoring;
using Fleet.Monitoring;

namespace Fleet.Tests.Infrastructure;

/// <summary>A retraining "target" for the test cluster: every delivered request is kept, and reported delivered.</summary>
public sealed class RecordingRetrainNotifier : IRetrainNotifier
{
    public ConcurrentQueue<RetrainRequest> Delivered { get; } = new();

    public Task<RetrainDelivery[]> DeliverAsync(RetrainRequest request, string? modelWebhook, CancellationToken cancellationToken)
    {
        Delivered.Enqueue(request);
        return Task.FromResult<RetrainDelivery[]>([new RetrainDelivery("test", request.OpenedAt, true, "recorded")]);
    }
}
