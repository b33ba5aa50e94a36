using System.Text.RegularExpressions;

namespace Fleet.Abstractions.Models;

/// <summary>Validation of model names and version ids; both end up in URLs, metric tags and file names.</summary>
public static partial class ModelNames
{
    public const string NamePattern = "[a-z0-9][a-z0-9._-]{0,62}";

    [GeneratedRegex("^" + NamePattern + "$", RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();

    public static bool IsValidName(string? name) => name is not null && NameRegex().IsMatch(name);

    /// <summary>Version ids follow the same rule as names (case-insensitive letters allowed).</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionRegex();

    public static bool IsValidVersion(string? version) => version is not null && VersionRegex().IsMatch(version);

    public static void ValidateName(string? name)
    {
        if (!IsValidName(name))
        {
            throw new RegistryException(RegistryErrorKind.Invalid,
                $"name: '{name}' is not a valid model name (must match {NamePattern})");
        }
    }

    public static void ValidateVersion(string? version)
    {
        if (!IsValidVersion(version))
        {
            throw new RegistryException(RegistryErrorKind.Invalid,
                $"version: '{version}' is not a valid version id (letters, digits, '.', '_', '-', at most 63, starting with a letter or digit)");
        }
    }
}
