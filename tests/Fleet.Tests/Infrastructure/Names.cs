namespace Fleet.Tests.Infrastructure;

internal static class Names
{
    /// <summary>A fresh valid model name so tests sharing a server or cluster never collide.</summary>
    public static string Model(string prefix = "m") => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];
}
