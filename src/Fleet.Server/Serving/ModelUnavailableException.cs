namespace Fleet.Server.Serving;

/// <summary>The model exists but cannot answer here now (no live version, still loading, load failed): HTTP 503.</summary>
internal sealed class ModelUnavailableException(string message) : Exception(message);
