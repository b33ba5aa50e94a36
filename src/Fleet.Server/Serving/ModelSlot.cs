using Fleet.Abstractions.Models;
using Fleet.Abstractions.Routing;

namespace Fleet.Server.Serving;

/// <summary>One model's entry in the per-silo routing table; replaced whole, never mutated.</summary>
/// <remarks><see cref="Fallback"/> is the last-known-good version, loaded in advance so a fallback never waits for a load.</remarks>
internal sealed record ModelSlot(ModelRoute Route, ServedModel? Live, ServedModel? Fallback, VersionLoadStatus? Status);

/// <summary>How this silo's load of a version went.</summary>
internal sealed record VersionLoadStatus(string Version, LoadState State, string? Provider, string? Error, string? WarmUpError, DateTimeOffset Time);
