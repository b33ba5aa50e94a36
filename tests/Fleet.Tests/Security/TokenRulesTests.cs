using Fleet.Abstractions.Models;
using Fleet.Abstractions.Security;
using Fleet.Grains.Security;
using Fleet.Server.Hosting;
using Fleet.Server.Security;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Security;

public sealed class TokenRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Secrets_are_random_prefixed_and_stored_only_as_sha256()
    {
        var a = TokenSecrets.New();
        var b = TokenSecrets.New();
        Assert.NotEqual(a, b);
        Assert.StartsWith("fleet_", a);
        Assert.Equal(6 + 43, a.Length);
        // SHA-256("abc"), the FIPS 180-2 test vector.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TokenSecrets.Hash("abc"));
    }

    [Fact]
    public void The_token_book_refuses_duplicates_bad_names_and_bad_hashes_and_records_each_change()
    {
        var state = new TokenRegistryState();
        var hash = TokenSecrets.Hash("a-long-enough-secret");
        var added = TokenBook.Add(state, "ci", AccessRole.Read, hash, "root", Now);
        Assert.Equal(new ApiToken("ci", AccessRole.Read, hash, Now, "root"), added);

        Assert.Equal(RegistryErrorKind.Conflict, Assert.Throws<RegistryException>(() => TokenBook.Add(state, "ci", AccessRole.Admin, hash, "root", Now)).Kind);
        var bad = Assert.Throws<RegistryException>(() => TokenBook.Add(state, "../etc", AccessRole.Read, hash, "root", Now));
        Assert.StartsWith("name: '../etc' is not a token name", bad.Message);
        Assert.Equal("hash: not a lowercase SHA-256 hex digest",
            Assert.Throws<RegistryException>(() => TokenBook.Add(state, "x", AccessRole.Read, "secret", "root", Now)).Message);
        Assert.Equal(RegistryErrorKind.Invalid, Assert.Throws<RegistryException>(() => TokenBook.Add(state, "x", (AccessRole)9, hash, "root", Now)).Kind);

        var revoked = TokenBook.Revoke(state, "ci", "root", Now.AddMinutes(1));
        Assert.Equal(added, revoked);
        Assert.Equal(RegistryErrorKind.NotFound, Assert.Throws<RegistryException>(() => TokenBook.Revoke(state, "ci", "root", Now)).Kind);
        var list = TokenBook.ToList(state);
        Assert.Empty(list.Tokens);
        Assert.Equal(2, list.Generation);
        Assert.Equal([("add", "ci"), ("revoke", "ci")], list.Events.Select(e => (e.Action, e.Name)).ToArray());
    }

    [Fact]
    public void Settings_tokens_are_read_from_secrets_and_files_and_each_problem_names_its_setting()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "ops.secret");
        File.WriteAllText(file, "  file-secret-0123456789 \n");
        var security = new SecurityOptions
        {
            Tokens =
            [
                new TokenSetting { Name = "ci", Role = "read", Secret = "ci-secret-0123456789" },
                new TokenSetting { Name = "ops", Role = "Operate", SecretFile = file },
                new TokenSetting { Name = "Bad Name", Role = "read", Secret = "x-secret-0123456789" },
                new TokenSetting { Name = "short", Role = "read", Secret = "abc" },
                new TokenSetting { Name = "norole", Role = "root", Secret = "y-secret-0123456789" },
                new TokenSetting { Name = "both", Role = "read", Secret = "z-secret-0123456789", SecretFile = file },
                new TokenSetting { Name = "missing", Role = "read", SecretFile = Path.Combine(dir.Path, "nope") },
            ],
        };

        var (tokens, problems) = ConfiguredTokens.Read(security, new FleetOptions { AdminToken = "legacy-admin-token-123" });

        Assert.Equal([("ci", AccessRole.Read), ("ops", AccessRole.Operate), ("admin", AccessRole.Admin)], tokens.Select(t => (t.Identity.Name, t.Identity.Role)).ToArray());
        Assert.Equal(TokenSecrets.Hash("file-secret-0123456789"), tokens[1].Hash);
        Assert.Equal(5, problems.Count);
        Assert.StartsWith("Fleet:Security:Tokens:2:Name: 'Bad Name' is not a token name", problems[0]);
        Assert.Equal("Fleet:Security:Tokens:3:Secret: the secret of token 'short' is 3 characters; use at least 16 (e.g. openssl rand -hex 24)", problems[1]);
        Assert.Equal("Fleet:Security:Tokens:4:Role: 'root' is not a role (read, ingest, operate or admin)", problems[2]);
        Assert.Equal("Fleet:Security:Tokens:5: give exactly one of Secret and SecretFile (token 'both')", problems[3]);
        Assert.StartsWith($"Fleet:Security:Tokens:6:SecretFile: cannot read '{Path.Combine(dir.Path, "nope")}'", problems[4]);
    }

    [Fact]
    public void A_short_legacy_admin_token_and_duplicate_names_are_refused()
    {
        var (_, problems) = ConfiguredTokens.Read(new SecurityOptions
        {
            Tokens = [new TokenSetting { Name = "admin", Role = "read", Secret = "another-secret-0123" }],
        }, new FleetOptions { AdminToken = "legacy-admin-token-123" });
        Assert.Equal(["Fleet:Security:Tokens: the name 'admin' is used 2 times (Fleet:AdminToken is named 'admin')"], problems);

        (_, problems) = ConfiguredTokens.Read(new SecurityOptions(), new FleetOptions { AdminToken = "s3cret" });
        Assert.Equal(["Fleet:AdminToken: 6 characters; use at least 16 (e.g. openssl rand -hex 24)"], problems);
    }
}
