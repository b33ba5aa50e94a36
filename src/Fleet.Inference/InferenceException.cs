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
}
