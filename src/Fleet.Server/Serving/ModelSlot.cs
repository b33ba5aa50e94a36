using Fleet.Models;
using Fleet.Routing;

namespace Fleet.Server.Serving;

/// <summary>One model's entry in the per-silo routing table; replaced whole, never mutated.</summary>
internal sealed record ModelSlot(ModelRoute Route, ServedModel? Live, VersionLoadStatus? Status);

/// <summary>How this silo's load of a version went.</summary>
internal sealed record VersionLoadStatus(string Version, LoadState State, string? Provider, string? Error, string? WarmUpError, DateTimeOffset Time);
