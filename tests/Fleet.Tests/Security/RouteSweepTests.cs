using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fleet.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Tests.Security;

/// <summary>Every route the server maps, enumerated from its own endpoint table, so a new endpoint cannot slip past the rules.</summary>
[Trait(Speed.Trait, Speed.Server)]
public sealed partial class RouteSweepTests
{
    private const string ReadSecret = "read-secret-0123456789";
    private const string RootSecret = "root-secret-0123456789";

    /// <summary>What each state-changing admin route needs. A route missing here (or listed and gone) fails the sweep.</summary>
    private static readonly Dictionary<string, string> Needs = new()
    {
        ["POST /api/v1/models"] = "registering a model needs admin",
        ["POST /api/v1/models/{name}/versions"] = "uploading a version needs admin",
        ["POST /api/v1/models/{name}/versions/{version}/promote"] = "promote needs operate",
        ["POST /api/v1/models/{name}/rollback"] = "rollback needs operate",
        ["POST /api/v1/models/{name}/versions/{version}/retire"] = "retire needs operate",
        ["POST /api/v1/models/{name}/versions/{version}/quarantine"] = "quarantine needs operate",
        ["PUT /api/v1/models/{name}/versions/{version}/contract"] = "setting a contract needs operate",
        ["POST /api/v1/models/{name}/versions/{version}/pin"] = "pin needs operate",
        ["POST /api/v1/models/{name}/unpin"] = "unpin needs operate",
        ["PATCH /api/v1/models/{name}/config"] = "changing config needs operate",
        ["POST /api/v1/models/{name}/drift/run"] = "running the drift detectors needs operate",
        ["POST /api/v1/models/{name}/retrain/ack"] = "acknowledging a retraining request needs operate",
        ["POST /api/v1/feedback"] = "sending labels needs ingest",
        ["POST /api/v1/faults"] = "injecting a fault needs admin",
        ["POST /api/v1/alerts/silences"] = "adding a silence needs admin",
        ["DELETE /api/v1/alerts/silences/{id}"] = "expiring a silence needs admin",
        ["POST /api/v1/incidents/{id}/{action}"] = "acting on an incident needs operate",
        ["POST /api/v1/tokens"] = "adding a token needs admin",
        ["DELETE /api/v1/tokens/{name}"] = "revoking a token needs admin",
    };

    [Fact]
    public async Task Every_route_refuses_an_over_limit_body_and_every_admin_change_refuses_a_read_token()
    {
        await using var server = await FleetServer.StartAsync(null,
            "--Fleet:Security:Tokens:0:Name=ci", "--Fleet:Security:Tokens:0:Role=read", $"--Fleet:Security:Tokens:0:Secret={ReadSecret}",
            "--Fleet:Security:Tokens:1:Name=root", "--Fleet:Security:Tokens:1:Role=admin", $"--Fleet:Security:Tokens:1:Secret={RootSecret}",
            "--Fleet:MaxRequestBodyBytes=2048", "--Fleet:MaxArtifactBytes=4096");
        var routes = server.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Route: "/" + e.RoutePattern.RawText!.Trim('/'))))
            .Distinct().ToArray();
        var changes = routes.Where(r => r.Route.StartsWith("/api/v1", StringComparison.Ordinal) && r.Method is not ("GET" or "HEAD"))
            .Select(r => $"{r.Method} {r.Route}").Order().ToArray();
        Assert.Equal(Needs.Keys.Order().ToArray(), changes);

        var big = "{\"x\":\"" + new string('a', 70_000) + "\"}";
        var refusedBodies = 0;
        foreach (var (method, route) in routes)
        {
            var path = Parameter().Replace(route, m => m.Value.Contains("name") ? "wine" : m.Value.Contains("version") ? "1" : "x").TrimStart('/');
            var key = $"{method} {route}";
            if (Needs.TryGetValue(key, out var need))
            {
                var (status, error) = await SendAsync(server, method, path, "{}", ReadSecret);
                Assert.True((status, error) == (HttpStatusCode.Forbidden, $"token 'ci' has role read; {need}"), $"{key} with a read token: {(int)status} {error}");
            }

            var (bigStatus, bigError) = await SendAsync(server, method, path, big, RootSecret);
            var limit = key == "POST /api/v1/models/{name}/versions" ? "4096 bytes (Fleet:MaxArtifactBytes)" : "2048 bytes (Fleet:MaxRequestBodyBytes)";
            Assert.True((bigStatus, bigError) == (HttpStatusCode.BadRequest, $"body: {Encoding.UTF8.GetByteCount(big)} bytes exceeds the limit of {limit}"),
                $"{key} with a {big.Length}-byte body: {(int)bigStatus} {bigError}");
            refusedBodies++;
        }

        Assert.True(refusedBodies > 60, $"only {refusedBodies} routes swept");
    }

    private static async Task<(HttpStatusCode Status, string? Error)> SendAsync(FleetServer server, string method, string path, string body, string token)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        string? error = null;
        try
        {
            error = (string?)(JsonNode.Parse(text) as JsonObject)?["error"];
        }
        catch (System.Text.Json.JsonException)
        {
            error = text.Length > 200 ? text[..200] : text;
        }

        return (response.StatusCode, error);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
