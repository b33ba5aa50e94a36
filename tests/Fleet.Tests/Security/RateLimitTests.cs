using System.Net;
using Fleet.Server.Security;
using Fleet.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Tests.Security;

public sealed class RateLimitTests
{
    [Fact]
    public void A_key_gets_its_burst_then_one_request_per_interval_and_keys_are_independent()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero));
        var limiter = new RateLimiter(3, TimeSpan.FromMinutes(1), time);

        Assert.Equal([null, null, null], new[] { limiter.TryAcquire("ci"), limiter.TryAcquire("ci"), limiter.TryAcquire("ci") });
        Assert.Equal(TimeSpan.FromSeconds(20), limiter.TryAcquire("ci"));
        Assert.Null(limiter.TryAcquire("ops"));

        time.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.TryAcquire("ci"));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(limiter.TryAcquire("ci"));
        Assert.Equal(TimeSpan.FromSeconds(20), limiter.TryAcquire("ci"));

        // A full window idle gives the whole burst back.
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([null, null, null], new[] { limiter.TryAcquire("ci"), limiter.TryAcquire("ci"), limiter.TryAcquire("ci") });
        Assert.NotNull(limiter.TryAcquire("ci"));
    }

    [Fact]
    public void The_concurrency_gate_admits_its_limit_and_frees_a_place_on_exit()
    {
        var gate = new ConcurrencyGate(2);
        Assert.Equal([true, true, false], new[] { gate.TryEnter(), gate.TryEnter(), gate.TryEnter() });
        gate.Exit();
        Assert.True(gate.TryEnter());
        Assert.False(gate.TryEnter());
        var off = new ConcurrencyGate(0);
        Assert.True(Enumerable.Range(0, 1000).All(_ => off.TryEnter()));
    }

    [Fact]
    [Trait(Speed.Trait, Speed.Server)]
    public async Task Admin_calls_over_the_rate_are_429_with_retry_after_per_token()
    {
        await using var server = await FleetServer.StartAsync(null,
            "--Fleet:Security:Tokens:0:Name=ci", "--Fleet:Security:Tokens:0:Role=read", "--Fleet:Security:Tokens:0:Secret=read-secret-0123456789",
            "--Fleet:Security:Tokens:1:Name=ops", "--Fleet:Security:Tokens:1:Role=operate", "--Fleet:Security:Tokens:1:Secret=ops-secret-0123456789",
            "--Fleet:Security:AdminRequestsPerMinute=3");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await server.SendJsonAsync(HttpMethod.Get, "api/v1/models", null, "read-secret-0123456789")).Status);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/models");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "read-secret-0123456789");
        using var refused = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        // 3 a minute is one every 20 s: the wait is at most that (a little less as real time passes).
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single()), 1, 20);
        Assert.StartsWith("rate limit: token 'ci' made more than 3 admin calls in a minute (Fleet:Security:AdminRequestsPerMinute); retry after ",
            (string)System.Text.Json.Nodes.JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!);

        // Another token has its own budget; inference and health are not limited.
        Assert.Equal(HttpStatusCode.OK, (await server.SendJsonAsync(HttpMethod.Get, "api/v1/models", null, "ops-secret-0123456789")).Status);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("v2/health/ready")).StatusCode);
    }
}
