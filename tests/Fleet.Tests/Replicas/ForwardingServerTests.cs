using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Routing;
using Fleet.Server.Api;
using Fleet.Server.Replicas;
using Fleet.Server.Serving;
using Fleet.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Tests.Replicas;

/// <summary>A real embedded server with no sample models; forwarding tests give it routes of their own.</summary>
public sealed class ForwardingServerFixture : IAsyncLifetime
{
    private FleetServer? _server;

    public FleetServer Server => _server ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() => _server = await FleetServer.StartAsync(null, "--Fleet:SampleModels=false");

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>
/// The hook in <c>POST /v2/models/{name}/infer</c>: a model whose route places it on other hosts, with no live session
/// here, is forwarded (once: never a request that was forwarded already). The route is applied to the silo's
/// <see cref="ModelHost"/> directly, with an artifact that does not exist, so nothing loads here.
/// </summary>
[Trait(Speed.Trait, Speed.Server)]
public sealed class ForwardingServerTests(ForwardingServerFixture fixture) : IClassFixture<ForwardingServerFixture>, IAsyncLifetime
{
    private const string Body = """{"inputs":[{"name":"input","shape":[1],"datatype":"FP32","data":[1]}]}""";
    private readonly List<FakeReplica> _replicas = [];
    private readonly string _model = Names.Model("fwd");

    private FleetServer Server => fixture.Server;

    private string Self => Server.Services.GetRequiredService<HostIdentity>().Name;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_model_placed_elsewhere_is_answered_by_its_replica()
    {
        var replica = await StartAsync("silo-other", async http =>
        {
            http.Response.ContentType = "application/json";
            http.Response.Headers[InferenceApi.VersionHeader] = "1";
            await http.Response.WriteAsync("""{"model_name":"x","outputs":[]}""");
        });
        await PlaceAsync(replica.Endpoint);

        using var response = await InferAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"model_name":"x","outputs":[]}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("silo-other", Header(response, ReplicaForwarder.ServedByHeader));
        Assert.Equal("1", Header(response, InferenceApi.VersionHeader));
        var received = Assert.Single(replica.Received);
        Assert.Equal(Self, received.Headers[ReplicaForwarder.ForwardedByHeader]);
        Assert.Equal(Body, Encoding.UTF8.GetString(received.Body));
    }

    [Fact]
    public async Task A_forwarded_request_is_never_forwarded_again()
    {
        var replica = await StartAsync("silo-other", http => http.Response.WriteAsync("{}"));
        await PlaceAsync(replica.Endpoint);

        using var response = await InferAsync((ReplicaForwarder.ForwardedByHeader, "silo-z"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("1", Header(response, "Retry-After"));
        Assert.Equal($"model '{_model}' is not served on host {Self} (forwarded by silo-z); not forwarding twice", await ErrorAsync(response));
        Assert.Empty(replica.Received);
    }

    [Fact]
    public async Task A_bad_timeout_header_is_a_400()
    {
        var replica = await StartAsync("silo-other", http => http.Response.WriteAsync("{}"));
        await PlaceAsync(replica.Endpoint);

        using var response = await InferAsync((ReplicaForwarder.TimeoutHeader, "abc"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("header Fleet-Timeout-Ms: must be a positive integer (milliseconds), got 'abc'", await ErrorAsync(response));
        Assert.Empty(replica.Received);
    }

    [Fact]
    public async Task No_replica_answering_is_a_503_naming_the_attempt()
    {
        var dead = new ReplicaEndpoint("silo-dead", $"http://127.0.0.1:{FleetServer.FreeTcpPort()}/");
        await PlaceAsync(dead);

        using var response = await InferAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("1", Header(response, "Retry-After"));
        Assert.Equal($"model '{_model}' is not loaded on this host and no replica answered: host silo-dead ({dead.Url}): connection refused",
            await ErrorAsync(response));
    }

    private async Task PlaceAsync(ReplicaEndpoint replica)
    {
        var route = new ModelRoute(_model, 1, ModelTask.Classification, "1", new string('0', 64), null, null, null, null, ModelConfig.Default, [replica]);
        var host = Server.Services.GetRequiredService<ModelHost>();
        await host.ApplyAsync(route, CancellationToken.None);
        Assert.True(host.TryGetSlot(_model, out var slot) && slot.Live is null && !slot.Route.IsAssignedTo(Self), "the route is applied and nothing is loaded");
    }

    private async Task<HttpResponseMessage> InferAsync(params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v2/models/{_model}/infer") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await Server.Client.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static async Task<string?> ErrorAsync(HttpResponseMessage response) =>
        (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"];

    private async Task<FakeReplica> StartAsync(string host, Func<HttpContext, Task> handler)
    {
        var replica = await FakeReplica.StartAsync(host, handler, new ConcurrentQueue<string>());
        _replicas.Add(replica);
        return replica;
    }
}
