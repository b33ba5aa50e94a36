using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;

namespace Fleet.Grains.Monitoring;

/// <summary>Delivers a new retraining request to the configured webhook(s) and command; the host provides it.</summary>
public interface IRetrainNotifier
{
    /// <summary>One entry per target tried (none configured: empty). Never throws: failures are returned as not-ok deliveries.</summary>
    Task<RetrainDelivery[]> DeliverAsync(RetrainRequest request, string? modelWebhook, CancellationToken cancellationToken);
}
