using Fleet.Abstractions.Security;
using Fleet.Grains.Security;
using Fleet.Server.Hosting;

namespace Fleet.Server.Security;

/// <summary>
/// Reads the tokens from settings: <c>Fleet:Security:Tokens</c>, and the older single <c>Fleet:AdminToken</c> (a token
/// named <c>admin</c> with role admin). Each problem is named by its setting, so the server stops with it at start.
/// </summary>
internal static class ConfiguredTokens
{
    public const string LegacyName = "admin";

    public static (IReadOnlyList<(AccessIdentity Identity, string Hash)> Tokens, IReadOnlyList<string> Problems) Read(SecurityOptions security, FleetOptions fleet)
    {
        var tokens = new List<(AccessIdentity, string)>();
        var problems = new List<string>();
        for (var i = 0; i < security.Tokens.Count; i++)
        {
            var t = security.Tokens[i];
            var key = $"Fleet:Security:Tokens:{i}";
            if (!TokenBook.IsValidName(t.Name))
            {
                problems.Add($"{key}:Name: {(string.IsNullOrEmpty(t.Name) ? "missing" : $"'{t.Name}' is not a token name")} (1 to 64 of a-z, 0-9, '.', '_', '-')");
                continue;
            }

            if (!AccessRoles.TryParse(t.Role, out var role))
            {
                problems.Add($"{key}:Role: {(string.IsNullOrEmpty(t.Role) ? "missing" : $"'{t.Role}' is not a role")} (read, ingest, operate or admin)");
                continue;
            }

            var secret = ReadSecret(t, key, problems);
            if (secret is null)
            {
                continue;
            }

            tokens.Add((new AccessIdentity(t.Name!, role, "config"), TokenSecrets.Hash(secret)));
        }

        if (!string.IsNullOrEmpty(fleet.AdminToken))
        {
            if (fleet.AdminToken.Length < TokenSecrets.MinLength)
            {
                problems.Add($"Fleet:AdminToken: {fleet.AdminToken.Length} characters; use at least {TokenSecrets.MinLength} (e.g. openssl rand -hex 24)");
            }
            else
            {
                tokens.Add((new AccessIdentity(LegacyName, AccessRole.Admin, "config"), TokenSecrets.Hash(fleet.AdminToken)));
            }
        }

        foreach (var duplicate in tokens.GroupBy(t => t.Item1.Name).Where(g => g.Count() > 1))
        {
            problems.Add($"Fleet:Security:Tokens: the name '{duplicate.Key}' is used {duplicate.Count()} times (Fleet:AdminToken is named '{LegacyName}')");
        }

        foreach (var duplicate in tokens.GroupBy(t => t.Item2).Where(g => g.Count() > 1))
        {
            problems.Add($"Fleet:Security:Tokens: tokens {string.Join(", ", duplicate.Select(d => $"'{d.Item1.Name}'"))} have the same secret");
        }

        return (tokens, problems);
    }

    private static string? ReadSecret(TokenSetting t, string key, List<string> problems)
    {
        var hasSecret = !string.IsNullOrEmpty(t.Secret);
        var hasFile = !string.IsNullOrEmpty(t.SecretFile);
        if (hasSecret == hasFile)
        {
            problems.Add($"{key}: give exactly one of Secret and SecretFile (token '{t.Name}')");
            return null;
        }

        string secret;
        if (hasFile)
        {
            try
            {
                secret = File.ReadAllText(t.SecretFile!).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{key}:SecretFile: cannot read '{t.SecretFile}': {e.Message}");
                return null;
            }
        }
        else
        {
            secret = t.Secret!;
        }

        if (secret.Length < TokenSecrets.MinLength)
        {
            problems.Add($"{key}:{(hasFile ? "SecretFile" : "Secret")}: the secret of token '{t.Name}' is {secret.Length} characters; use at least {TokenSecrets.MinLength} (e.g. openssl rand -hex 24)");
            return null;
        }

        return secret;
    }
}
