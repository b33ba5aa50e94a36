namespace Fleet.Guardrails;

/// <summary>
/// One value that broke a rule. <see cref="Input"/> is the input or output name. <see cref="Column"/> is the
/// feature index (inputs) or the index within the row (outputs); -1 for rules about a whole row
/// (<c>probability_sum</c>, <c>embedding_norm</c>, whose <see cref="Value"/> is the row's sum or norm).
/// <see cref="Feature"/> is the feature name for inputs, null for outputs. <see cref="Value"/> is NaN for a missing value.
/// </summary>
public sealed record Violation(string Input, int Row, int Column, string? Feature, double Value, string Rule, string Detail);
