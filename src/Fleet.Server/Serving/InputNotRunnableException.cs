namespace Fleet.Server.Serving;

/// <summary>
/// ONNX Runtime could not run this input and the input is at fault (see <see cref="FaultAttribution"/>): HTTP 422
/// with ONNX Runtime's message and the input's shape. No fallback ran; it counts as a client error only.
/// </summary>
internal sealed class InputNotRunnableException(string message) : Exception(message);
