namespace Fleet.Abstractions.Models;

/// <summary>
/// A registry operation refused because of the request (unknown model, duplicate version, illegal transition).
/// <see cref="Kind"/> maps to the HTTP status; the message names the field and the problem.
/// </summary>
[GenerateSerializer, Alias("fleet.RegistryException")]
public sealed class RegistryException : Exception
{
    public RegistryException(RegistryErrorKind kind, string message) : base(message) => Kind = kind;

    [Id(0)]
    public RegistryErrorKind Kind { get; }
}

[GenerateSerializer, Alias("fleet.RegistryErrorKind")]
public enum RegistryErrorKind
{
    Invalid = 0,
    NotFound = 1,
    Conflict = 2,
}
