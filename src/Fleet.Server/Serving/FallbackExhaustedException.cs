namespace Fleet.Server.Serving;

/// <summary>The live version's answer failed its checks and no fallback step could answer: HTTP 503 with the story.</summary>
internal sealed class FallbackExhaustedException(string message) : Exception(message);
