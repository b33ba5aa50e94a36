namespace Fleet.Inference;

/// <summary>A model could not be loaded or run; the message says which model part and why.</summary>
public sealed class InferenceException : Exception
{
    public InferenceException(string message) : base(message)
    {
    }

    public InferenceException(string message, Exception inner) : base(message, inner)
    {
    }

    public InferenceException(string message, Exception inner, bool invalidArgument) : base(message, inner)
    {
        InvalidArgument = invalidArgument;
    }

    /// <summary>
    /// ONNX Runtime refused the call's arguments (ORT_INVALID_ARGUMENT: an input's type or shape the graph does not
    /// accept) rather than failing inside a kernel: the input is at fault, not the model.
    /// </summary>
    public bool InvalidArgument { get; }
}
