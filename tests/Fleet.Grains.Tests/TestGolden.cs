using Fleet.Abstractions.Models;

namespace Fleet.Grains.Tests;

/// <summary>A golden set for registry tests: a version needs one (it ran its golden inputs) to become a last-known-good.</summary>
internal static class TestGolden
{
    public static GoldenSet Set { get; } = new("test golden set", 0, 0, [], [], DateTimeOffset.UnixEpoch);
}
