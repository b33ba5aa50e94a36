using Fleet.Abstractions.Alerting;

namespace Fleet.Grains.Alerting;

/// <summary>
/// Where alerts go (the server posts to Alertmanager and signed webhooks). Each call is one attempt: the grain keeps
/// what failed and retries it; an implementation never throws for a sink that is down, it says so.
/// </summary>
public interface IAlertSinks
{
    /// <summary>The webhook sinks' names (<c>webhook-0</c>, ...): one notification is queued per sink.</summary>
    IReadOnlyList<string> Webhooks { get; }

    bool HasAlertmanager { get; }

    Task<DeliveryOutcome> SendWebhookAsync(AlertNotification notification, CancellationToken cancellationToken);

    /// <summary>Posts every alert given (firing ones with an <c>endsAt</c> in the future, resolved ones with theirs).</summary>
    Task<DeliveryOutcome> SendAlertmanagerAsync(IReadOnlyList<Alert> alerts, DateTimeOffset now, CancellationToken cancellationToken);
}

public sealed record DeliveryOutcome(bool Delivered, string? Error)
{
    public static readonly DeliveryOutcome Ok = new(true, null);

    public static DeliveryOutcome Fail(string error) => new(false, error);
}

/// <summary>No sinks configured: alerts are kept and listed, nothing is sent.</summary>
internal sealed class NoAlertSinks : IAlertSinks
{
    public static readonly NoAlertSinks Instance = new();

    public IReadOnlyList<string> Webhooks => [];

    public bool HasAlertmanager => false;

    public Task<DeliveryOutcome> SendWebhookAsync(AlertNotification notification, CancellationToken cancellationToken) =>
        Task.FromResult(DeliveryOutcome.Fail("no webhook configured"));

    public Task<DeliveryOutcome> SendAlertmanagerAsync(IReadOnlyList<Alert> alerts, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(DeliveryOutcome.Fail("no Alertmanager configured"));
}
