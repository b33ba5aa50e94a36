namespace Fleet.Guardrails;

/// <summary>
/// Reference data or a contract was refused. The message starts with what is at fault
/// (<c>reference: line 17, column 'alcohol': ...</c>, <c>input.features[3].min: ...</c>) so it can go to the client as is.
/// </summary>
public sealed class ContractException : Exception
{
    public ContractException(string message) : base(message)
    {
    }
}
