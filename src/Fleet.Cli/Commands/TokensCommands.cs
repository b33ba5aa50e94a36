using System.CommandLine;
using System.Text.Json.Nodes;
using Fleet.Cli.Http;
using static Fleet.Cli.Format;

namespace Fleet.Cli.Commands;

/// <summary>
/// <c>fleet tokens add NAME --role ROLE</c> (prints the secret once), <c>fleet tokens list</c>, <c>fleet tokens revoke NAME</c>
/// and <c>fleet tokens whoami</c>: named API tokens, changed without a restart.
/// </summary>
internal static class TokensCommands
{
    public static Command Create(CommandRunner runner)
    {
        var tokens = new Command("tokens", "Named API tokens with roles read < ingest < operate < admin (GET/POST/DELETE /api/v1/tokens; needs admin)");

        var name = new Argument<string>("NAME") { Description = "The token's name, recorded as the actor of everything done with it (a-z, 0-9, '.', '_', '-')" };
        var role = new Option<string>("--role") { Description = "read, ingest, operate or admin", HelpName = "ROLE", Required = true };
        role.AcceptOnlyFromAmong("read", "ingest", "operate", "admin");
        var add = new Command("add", "Add a token and print its secret (shown only this once; the server keeps its SHA-256)") { name, role };
        runner.SetAction(add, async (pr, s) =>
        {
            var response = await s.Api.PostJsonAsync("/api/v1/tokens",
                new JsonObject { ["name"] = pr.GetValue(name), ["role"] = pr.GetValue(role) }, s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            // The secret alone on stdout, so a script can capture it: SECRET=$(fleet tokens add ci --role read)
            s.Out.WriteLine(Str(response, "secret"));
            s.Error.WriteLine($"token '{Str(response, "name")}' (role {Str(response, "role")}) added; {Str(response, "note")}");
        });

        var list = new Command("list", "List the tokens: name, role, where it comes from (config or api), who added it and when; never secrets");
        runner.SetAction(list, async (_, s) =>
        {
            var response = await s.Api.GetAsync("/api/v1/tokens", s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            var table = new Table("NAME", "ROLE", "SOURCE", "CREATED", "BY");
            foreach (var t in Arr(response, "tokens"))
            {
                table.Add(Str(t, "name"), Str(t, "role"), Str(t, "source"), StrOrNull(t, "created_at") is { } at ? Time(at) : "-", OrDash(StrOrNull(t, "created_by")));
            }

            table.WriteTo(s.Out);
        });

        var revokeName = new Argument<string>("NAME") { Description = "The token to revoke (fleet tokens list)" };
        var revoke = new Command("revoke", "Revoke a token: refused on this silo at once, on the others within Fleet:Security:TokenRefreshInterval") { revokeName };
        runner.SetAction(revoke, async (pr, s) =>
        {
            var response = (await s.Api.SendAsync(HttpMethod.Delete, $"/api/v1/tokens/{FleetApiClient.Segment(pr.GetValue(revokeName)!)}", null, s.CancellationToken)).Body;
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            s.Out.WriteLine($"token '{Str(response, "name")}' (role {Str(response, "role")}) revoked");
        });

        var whoami = new Command("whoami", "Show which token this client sends and its role (GET /api/v1/tokens/me)");
        runner.SetAction(whoami, async (_, s) =>
        {
            var response = await s.Api.GetAsync("/api/v1/tokens/me", s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            s.Out.WriteLine($"{Str(response, "name")} (role {Str(response, "role")}, {Str(response, "source")})");
        });

        tokens.Subcommands.Add(add);
        tokens.Subcommands.Add(list);
        tokens.Subcommands.Add(revoke);
        tokens.Subcommands.Add(whoami);
        return tokens;
    }
}
