namespace Fleet.Server.Protocol;

/// <summary>The request is wrong (HTTP 400); the message names the field or input and the problem.</summary>
internal sealed class InvalidRequestException(string message) : Exception(message);
