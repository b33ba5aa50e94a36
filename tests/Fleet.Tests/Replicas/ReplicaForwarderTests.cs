using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Routing;
using Fleet.Server.Api;
using Fleet.Server.Protocol;
using Fleet.Server.Replicas;
using Fleet.Server.Serving;
using Fleet.Server.Telemetry;
using Fleet.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Tests.Replicas;

/// <summary>
/// <see cref="ReplicaForwarder"/> against real HTTP replicas on loopback (small Kestrel apps: one answers, one says
/// 503, one never answers until the test ends, a closed port refuses). Time is a <see cref="FakeTimeProvider"/>: a
/// test advances it once the hung replica has the request, so timeouts and deadlines are exact.
/// </summary>
[Trait(Speed.Trait, Speed.Server)]
public sealed class ReplicaForwarderTests : IAsyncLifetime
{
    private const string Self = "silo-self";
    private const string Answer = """{"model_name":"m","model_version":"7","id":"r1","outputs":[]}""";
    private static readonly byte[] RequestBytes = Encoding.UTF8.GetBytes("""{"id":"r1","inputs":[{"name":"input","shape":[1],"datatype":"FP32","data":[1]}]}""");

    private readonly List<FakeReplica> _replicas = [];
    private readonly ConcurrentQueue<string> _calls = new();
    private readonly FakeTimeProvider _time = new();
    private readonly string _model = Names.Model("fwd");
    private readonly DeadSet _dead = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_answer_is_copied_with_its_headers_and_the_request_is_forwarded_with_its_headers()
    {
        var ok = await StartAsync("silo-a", Ok);
        using var forwarder = Forwarder();
        var context = Context();
        context.Request.Headers["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        context.Request.Headers["x-request-id"] = "req-42";

        await forwarder.ForwardAsync(context, Route(ok), RequestBytes);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(Answer, ResponseText(context));
        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        Assert.Equal("7", context.Response.Headers[InferenceApi.VersionHeader].ToString());
        Assert.Equal("last-known-good", context.Response.Headers[InferenceApi.FallbackHeader].ToString());
        Assert.Equal("silo-a", context.Response.Headers[ReplicaForwarder.ServedByHeader].ToString());

        var received = Assert.Single(ok.Received);
        Assert.Equal($"/v2/models/{_model}/infer", received.Path);
        Assert.Equal(RequestBytes, received.Body);
        Assert.Equal("application/json", received.Headers["Content-Type"]);
        Assert.Equal(Self, received.Headers[ReplicaForwarder.ForwardedByHeader]);
        Assert.Equal("10000", received.Headers[ReplicaForwarder.TimeoutHeader]);
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", received.Headers["traceparent"]);
        Assert.Equal("req-42", received.Headers["x-request-id"]);
    }

    [Fact]
    public async Task A_503_moves_on_to_the_next_replica_and_a_client_deadline_is_passed_on()
    {
        var busy = await StartAsync("silo-busy", Busy);
        var ok = await StartAsync("silo-ok", Ok);
        using var forwarder = Forwarder();
        var context = Context();
        context.Request.Headers[ReplicaForwarder.TimeoutHeader] = "4500";
        using var metrics = new ForwardedMeasurements(_model);

        await forwarder.ForwardAsync(context, Route(busy, ok), RequestBytes);

        Assert.Equal(["silo-busy", "silo-ok"], _calls);
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("silo-ok", context.Response.Headers[ReplicaForwarder.ServedByHeader].ToString());
        Assert.Equal("4500", Assert.Single(busy.Received).Headers[ReplicaForwarder.TimeoutHeader]);
        Assert.Equal("4500", Assert.Single(ok.Received).Headers[ReplicaForwarder.TimeoutHeader]);
        Assert.Equal(["silo-busy server_error", "silo-ok answered"], metrics.Attempts);
    }

    [Fact]
    public async Task A_4xx_answer_is_final_and_copied()
    {
        var bad = await StartAsync("silo-a", async http =>
        {
            http.Response.StatusCode = 400;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync("""{"error":"input 'input': missing"}""");
        });
        var ok = await StartAsync("silo-b", Ok);
        using var forwarder = Forwarder();
        var context = Context();

        await forwarder.ForwardAsync(context, Route(bad, ok), RequestBytes);

        Assert.Equal(400, context.Response.StatusCode);
        Assert.Equal("""{"error":"input 'input': missing"}""", ResponseText(context));
        Assert.Equal("silo-a", context.Response.Headers[ReplicaForwarder.ServedByHeader].ToString());
        Assert.Equal(["silo-a"], _calls);
        Assert.Empty(ok.Received);
    }

    [Fact]
    public async Task An_attempt_that_times_out_moves_on_and_the_next_gets_the_remaining_time()
    {
        var hung = await StartHungAsync("silo-hung");
        var ok = await StartAsync("silo-ok", Ok);
        using var forwarder = Forwarder();
        var context = Context();

        var forwarding = forwarder.ForwardAsync(context, Route(hung, ok), RequestBytes);
        await hung.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(2));
        await forwarding.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("silo-ok", context.Response.Headers[ReplicaForwarder.ServedByHeader].ToString());
        Assert.Equal("10000", Assert.Single(hung.Received).Headers[ReplicaForwarder.TimeoutHeader]);
        Assert.Equal("8000", Assert.Single(ok.Received).Headers[ReplicaForwarder.TimeoutHeader]);
    }

    [Fact]
    public async Task When_every_replica_fails_the_503_names_each_attempt_and_stops_at_max_attempts()
    {
        var dead = new ReplicaEndpoint("silo-dead", $"http://127.0.0.1:{FleetServer.FreeTcpPort()}/");
        var busy = await StartAsync("silo-busy", Busy);
        var hung = await StartHungAsync("silo-hung");
        var spare = await StartAsync("silo-spare", Ok);
        using var forwarder = Forwarder();
        var context = Context();
        using var metrics = new ForwardedMeasurements(_model);

        var forwarding = forwarder.ForwardAsync(context, Route([dead, busy.Endpoint, hung.Endpoint, spare.Endpoint]), RequestBytes);
        await hung.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(2));
        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => forwarding.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(
            $"model '{_model}' is not loaded on this host and no replica answered: " +
            $"host silo-dead ({dead.Url}): connection refused; " +
            $"host silo-busy ({busy.Endpoint.Url}): answered 503: model '{_model}' version '1' is still loading on this host; " +
            $"host silo-hung ({hung.Endpoint.Url}): no answer within 2000 ms; " +
            "1 more not tried (Fleet:Replicas:MaxAttempts = 3)",
            error.Message);
        Assert.Equal((503, error.Message), ApiExceptionHandler.Classify(error));
        Assert.Empty(spare.Received);
        Assert.Equal(["silo-dead connect_failed", "silo-busy server_error", "silo-hung timeout"], metrics.Attempts);
    }

    [Fact]
    public async Task The_deadline_bounds_every_attempt_and_the_total()
    {
        var first = await StartHungAsync("silo-1");
        var second = await StartHungAsync("silo-2");
        var ok = await StartAsync("silo-3", Ok);
        using var forwarder = Forwarder();
        var context = Context();
        context.Request.Headers[ReplicaForwarder.TimeoutHeader] = "3000";
        var start = _time.GetTimestamp();

        var forwarding = forwarder.ForwardAsync(context, Route(first, second, ok), RequestBytes);
        await first.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(2));
        await second.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(forwarding.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => forwarding.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(TimeSpan.FromSeconds(3), _time.GetElapsedTime(start));
        Assert.Equal("3000", Assert.Single(first.Received).Headers[ReplicaForwarder.TimeoutHeader]);
        Assert.Equal("1000", Assert.Single(second.Received).Headers[ReplicaForwarder.TimeoutHeader]);
        Assert.Empty(ok.Received);
        Assert.EndsWith(
            $"host silo-1 ({first.Endpoint.Url}): no answer within 2000 ms; host silo-2 ({second.Endpoint.Url}): no answer within 1000 ms; " +
            "1 more not tried (deadline of 3000 ms reached)",
            error.Message);
    }

    [Fact]
    public async Task In_real_time_hung_replicas_never_hold_a_request_past_its_deadline()
    {
        var first = await StartHungAsync("silo-1");
        var second = await StartHungAsync("silo-2");
        var third = await StartHungAsync("silo-3");
        using var forwarder = Forwarder(new ReplicaOptions { ForwardTimeout = TimeSpan.FromMilliseconds(400) }, TimeProvider.System);
        var context = Context();
        context.Request.Headers[ReplicaForwarder.TimeoutHeader] = "600";

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<ModelUnavailableException>(() => forwarder.ForwardAsync(context, Route(first, second, third), RequestBytes));
        watch.Stop();

        // Bounds a loaded 2-core machine cannot break: timers never fire early, so the request ends no sooner than its
        // 600 ms deadline; each replica is tried at most once. Late timers shift the split (the third can get a sliver
        // of the deadline; the exact split is the FakeTimeProvider test's). The upper bound only catches a request held
        // by a replica that never answers.
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(590), $"ended after {watch.ElapsedMilliseconds} ms, before its 600 ms deadline");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.ElapsedMilliseconds} ms for a 600 ms deadline");
        Assert.InRange(first.Received.Count, 0, 1);
        Assert.InRange(second.Received.Count, 0, 1);
        Assert.InRange(third.Received.Count, 0, 1);
    }

    [Fact]
    public async Task A_failed_replica_is_tried_last_until_suspect_for_has_passed()
    {
        var busy = await StartAsync("silo-a", Busy);
        var ok = await StartAsync("silo-b", Ok);
        using var forwarder = Forwarder();
        var route = Route(busy, ok);

        // Turn 0: a then b; a fails and becomes suspect. Turn 1: b first. Turn 0 again: a is suspect, so b first (answers).
        for (var i = 0; i < 3; i++)
        {
            var context = Context();
            await forwarder.ForwardAsync(context, route, RequestBytes);
            Assert.Equal("silo-b", context.Response.Headers[ReplicaForwarder.ServedByHeader].ToString());
        }

        Assert.Equal(["silo-a", "silo-b", "silo-b", "silo-b"], _calls);

        // Still suspect just before SuspectFor (15 s) has passed; tried first again after it.
        _time.Advance(TimeSpan.FromSeconds(15) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(["silo-b", "silo-a"], forwarder.Candidates(route).Select(r => r.Host)); // turn 1
        Assert.Equal(["silo-b", "silo-a"], forwarder.Candidates(route).Select(r => r.Host)); // turn 0, a suspect
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(["silo-b", "silo-a"], forwarder.Candidates(route).Select(r => r.Host)); // turn 1
        Assert.Equal(["silo-a", "silo-b"], forwarder.Candidates(route).Select(r => r.Host)); // turn 0, no longer suspect
    }

    [Fact]
    public async Task A_replica_whose_host_membership_declared_dead_is_never_tried()
    {
        var a = await StartAsync("silo-a", Ok);
        var b = await StartAsync("silo-b", Ok);
        using var forwarder = Forwarder();
        var route = Route(a, b);
        _dead.Names.Add("silo-a");

        // Every turn, including the one that would start with a: the route still names it, membership says it is gone.
        for (var i = 0; i < 3; i++)
        {
            var context = Context();
            await forwarder.ForwardAsync(context, route, RequestBytes);
            Assert.Equal("silo-b", context.Response.Headers[ReplicaForwarder.ServedByHeader].ToString());
        }

        Assert.Equal(["silo-b", "silo-b", "silo-b"], _calls);
        Assert.Empty(a.Received);

        _dead.Names.Add("silo-b");
        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => forwarder.ForwardAsync(Context(), route, RequestBytes));
        Assert.Equal($"model '{_model}' is not loaded on this host and every other replica is on a host cluster membership declared dead " +
            "(the coordinator is moving them) (placed on: silo-a (declared dead), silo-b (declared dead))", error.Message);
        Assert.Equal(3, _calls.Count);

        // A host that is back (a silo restarted under its name) is a candidate again.
        _dead.Names.Clear();
        Assert.Equal(2, forwarder.Candidates(route).Count);
    }

    [Fact]
    public async Task Requests_are_spread_round_robin_per_model()
    {
        var a = await StartAsync("silo-a", Ok);
        var b = await StartAsync("silo-b", Ok);
        var c = await StartAsync("silo-c", Ok);
        using var forwarder = Forwarder();
        var route = Route(a, b, c);
        var other = route with { Model = Names.Model("other") };

        var servedBy = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var context = Context();
            await forwarder.ForwardAsync(context, route, RequestBytes);
            servedBy.Add(context.Response.Headers[ReplicaForwarder.ServedByHeader].ToString());
        }

        Assert.Equal(["silo-a", "silo-b", "silo-c", "silo-a"], servedBy);
        // Another model has its own turn.
        Assert.Equal("silo-a", forwarder.Candidates(other)[0].Host);
    }

    [Fact]
    public async Task Only_other_hosts_with_a_url_are_candidates()
    {
        var ok = await StartAsync("silo-b", Ok);
        using var forwarder = Forwarder();
        var route = Route([new ReplicaEndpoint(Self, ok.Endpoint.Url), new ReplicaEndpoint("silo-nourl", null), new ReplicaEndpoint("silo-bad", "not a url"), ok.Endpoint]);

        Assert.Equal(["silo-b"], forwarder.Candidates(route).Select(r => r.Host));

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() =>
            forwarder.ForwardAsync(Context(), Route([new ReplicaEndpoint(Self, ok.Endpoint.Url), new ReplicaEndpoint("silo-nourl", null)]), RequestBytes));
        Assert.Equal($"model '{_model}' is not loaded on this host and no other replica has a URL to forward to (placed on: {Self}, silo-nourl)", error.Message);
        Assert.Empty(ok.Received);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("")]
    public async Task A_bad_timeout_header_is_a_400_and_nothing_is_forwarded(string value)
    {
        var ok = await StartAsync("silo-a", Ok);
        using var forwarder = Forwarder();
        var context = Context();
        context.Request.Headers[ReplicaForwarder.TimeoutHeader] = value;

        var error = await Assert.ThrowsAsync<InvalidRequestException>(() => forwarder.ForwardAsync(context, Route(ok), RequestBytes));

        Assert.Equal($"header Fleet-Timeout-Ms: must be a positive integer (milliseconds), got '{value}'", error.Message);
        Assert.Equal((400, error.Message), ApiExceptionHandler.Classify(error));
        Assert.Empty(ok.Received);
    }

    [Fact]
    public async Task A_client_that_goes_away_stops_forwarding_without_blaming_the_replica()
    {
        var hung = await StartHungAsync("silo-hung");
        var ok = await StartAsync("silo-ok", Ok);
        using var forwarder = Forwarder();
        using var client = new CancellationTokenSource();
        var context = Context();
        context.RequestAborted = client.Token;
        using var metrics = new ForwardedMeasurements(_model);
        var route = Route(hung, ok);

        var forwarding = forwarder.ForwardAsync(context, route, RequestBytes);
        await hung.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await client.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => forwarding.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(ok.Received);
        Assert.Empty(metrics.Attempts);
        Assert.Equal(["silo-ok", "silo-hung"], forwarder.Candidates(route).Select(r => r.Host)); // turn 1
        Assert.Equal(["silo-hung", "silo-ok"], forwarder.Candidates(route).Select(r => r.Host)); // turn 0: not suspect
    }

    private static async Task Ok(HttpContext http)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.Headers[InferenceApi.VersionHeader] = "7";
        http.Response.Headers[InferenceApi.FallbackHeader] = "last-known-good";
        await http.Response.WriteAsync(Answer);
    }

    private async Task Busy(HttpContext http)
    {
        http.Response.StatusCode = 503;
        http.Response.Headers.RetryAfter = "1";
        await http.Response.WriteAsJsonAsync(new { error = $"model '{_model}' version '1' is still loading on this host" });
    }

    private ReplicaForwarder Forwarder(ReplicaOptions? options = null, TimeProvider? time = null) =>
        new(new HostIdentity(Self, "127.0.0.1:11111", "local", DateTimeOffset.UnixEpoch), _dead, Options.Create(options ?? new ReplicaOptions()),
            new FleetMetrics(), time ?? _time, NullLogger<ReplicaForwarder>.Instance);

    private static DefaultHttpContext Context()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string ResponseText(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    private ModelRoute Route(params FakeReplica[] replicas) => Route(replicas.Select(r => r.Endpoint).ToArray());

    private ModelRoute Route(ReplicaEndpoint[] replicas) =>
        new(_model, 1, ModelTask.Classification, "1", null, null, null, null, null, ModelConfig.Default, replicas);

    private Task<FakeReplica> StartHungAsync(string host) => StartAsync(host, null);

    private async Task<FakeReplica> StartAsync(string host, Func<HttpContext, Task>? handler)
    {
        var replica = await FakeReplica.StartAsync(host, handler, _calls);
        _replicas.Add(replica);
        return replica;
    }

    private sealed class DeadSet : IDeadHosts
    {
        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

        public bool IsDead(string host) => Names.Contains(host);
    }

    /// <summary>The <c>fleet.inference.forwarded</c> measurements of one model, as "host outcome".</summary>
    private sealed class ForwardedMeasurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<string> _attempts = new();

        public ForwardedMeasurements(string model)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == FleetMetrics.MeterName && instrument.Name == "fleet.inference.forwarded")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? m = null, host = null, outcome = null;
                foreach (var tag in tags)
                {
                    switch (tag.Key)
                    {
                        case "model": m = tag.Value as string; break;
                        case "replica": host = tag.Value as string; break;
                        case "outcome": outcome = tag.Value as string; break;
                    }
                }

                if (m == model && value == 1)
                {
                    _attempts.Enqueue($"{host} {outcome}");
                }
            });
            _listener.Start();
        }

        public IReadOnlyCollection<string> Attempts => _attempts;

        public void Dispose() => _listener.Dispose();
    }
}
