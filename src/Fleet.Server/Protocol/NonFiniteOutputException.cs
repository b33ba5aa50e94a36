namespace Fleet.Server.Protocol;

/// <summary>The model produced NaN or Infinity: never sent to a client (HTTP 503 until fallbacks land).</summary>
internal sealed class NonFiniteOutputException(string message) : Exception(message);
