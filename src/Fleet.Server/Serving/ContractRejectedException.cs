using Fleet.Guardrails;

namespace Fleet.Server.Serving;

/// <summary>The input broke a contract rule whose mode is reject: HTTP 400 listing every violation.</summary>
internal sealed class ContractRejectedException(string message, IReadOnlyList<Violation> violations, int total) : Exception(message)
{
    public IReadOnlyList<Violation> Violations { get; } = violations;

    public int Total { get; } = total;
}
