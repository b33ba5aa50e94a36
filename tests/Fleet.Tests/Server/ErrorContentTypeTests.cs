using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Server;

/// <summary>
/// Every error answers <c>Content-Type: application/json</c> exactly (no charset, not problem+json: the KServe Python
/// client drops the message otherwise) with <c>{"error": "..."}</c>: unknown models, invalid bodies, unknown routes,
/// parameters that do not bind.
/// </summary>
[Collection(ServerCollection.Name)]
[Trait(Speed.Trait, Speed.Server)]
public sealed class ErrorContentTypeTests(ServerFixture fixture)
{
    public static TheoryData<string, string, string?, HttpStatusCode> Errors() => new()
    {
        { "POST", "v2/models/nope/infer", """{"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 1], "data": [1]}]}""", HttpStatusCode.NotFound },
        { "GET", "api/v1/models/nope", null, HttpStatusCode.NotFound },
        { "GET", "v2/models/nope", null, HttpStatusCode.NotFound },
        { "POST", "api/v1/models", "{not json", HttpStatusCode.BadRequest },
        { "GET", "api/v1/no-such-route", null, HttpStatusCode.NotFound },
        { "GET", "api/v1/signals?limit=abc", null, HttpStatusCode.BadRequest },
        { "DELETE", "api/v1/status", null, HttpStatusCode.MethodNotAllowed },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Errors_are_exactly_application_json_with_an_error_field(string method, string path, string? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await fixture.Server.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.ToString());
        var json = Assert.IsType<JsonObject>(JsonNode.Parse(text));
        Assert.False(string.IsNullOrWhiteSpace((string?)json["error"]), text);
    }
}
