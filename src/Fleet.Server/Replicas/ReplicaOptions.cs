using System.ComponentModel.DataAnnotations;

namespace Fleet.Server.Replicas;

/// <summary>
/// <c>Fleet:Replicas:*</c>: how a silo forwards a request for a model it was not placed on to a host that serves it
/// (<see cref="ReplicaForwarder"/>). Defaults are documented in docs/api.md and docs/reliability.md.
/// </summary>
public sealed class ReplicaOptions
{
    public const string SectionName = "Fleet:Replicas";

    /// <summary>Longest wait for one replica's complete answer (each attempt; never beyond the request's deadline). Default 2 s.</summary>
    public TimeSpan ForwardTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The deadline of a forwarded request whose client sent no <c>Fleet-Timeout-Ms</c> header. Default 10 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// For this long after a replica host failed an attempt (no connection, no answer in time, or a 5xx) it is tried
    /// after every other replica. Zero: never. Default 15 s: longer than a hung silo takes to be declared dead (about 8 s), so a frozen host costs one forward timeout per concurrent request, not one every few seconds until the coordinator has moved its replicas.
    /// </summary>
    public TimeSpan SuspectFor { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Replicas tried per request at most (the first attempt included). Default 3.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;
}
