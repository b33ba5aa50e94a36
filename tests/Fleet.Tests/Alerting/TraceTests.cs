using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Tests.Infrastructure;
using Fleet.Tests.Monitoring;

namespace Fleet.Tests.Alerting;

/// <summary><c>fleet trace REQUEST_ID</c> and <c>GET /api/v1/traces/{id}</c>: what one prediction went through, with its label and trace id.</summary>
[Collection(ServerCollection.Name)]
[Trait(Speed.Trait, Speed.Server)]
public sealed class TraceTests(ServerFixture fixture)
{
    private FleetServer Server => fixture.Server;

    [Fact]
    public async Task A_served_request_is_traced_with_its_host_checks_latency_trace_id_and_later_its_label()
    {
        var model = await MonitoredModel.CreateAsync(Server);
        var id = Names.Model("req");
        var row = MonitoredModel.Data.Rows[0];
        var request = new JsonObject
        {
            ["id"] = id,
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = "input", ["shape"] = new JsonArray(1, row.Length), ["datatype"] = "FP32",
                ["data"] = new JsonArray([.. row.Select(v => (JsonNode)v)]),
            }),
        };
        // A W3C traceparent from the caller: Fleet's span continues that trace and says so.
        const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var message = new HttpRequestMessage(HttpMethod.Post, $"v2/models/{model.Name}/infer") { Content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json") };
        message.Headers.TryAddWithoutValidation("traceparent", $"00-{TraceId}-00f067aa0ba902b7-01");
        using var response = await Server.Client.SendAsync(message);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TraceId, Assert.Single(response.Headers.GetValues("Fleet-Trace-Id")));

        var trace = await Server.GetJsonAsync($"api/v1/traces/{id}");
        var host = (string)(await Server.GetJsonAsync("api/v1/status"))["host"]!["silo"]!;
        Assert.Equal((id, model.Name, "1", host, "ok", "passed", TraceId), ((string)trace["id"]!, (string)trace["model"]!, (string)trace["version"]!,
            (string)trace["host"]!, (string)trace["outcome"]!, (string)trace["output_check"]!, (string)trace["trace_id"]!));
        Assert.Empty(trace["input_checks"]!.AsArray());
        Assert.Null(trace["fallback"]);
        Assert.Null(trace["forwarded_by"]);
        Assert.Null(trace["label"]);
        Assert.True((double)trace["latency_ms"]! > 0, trace.ToJsonString());

        await model.FlushAsync();
        var (status, body) = await Server.PostJsonAsync("api/v1/feedback", new { model = model.Name, labels = new[] { new { id, label = 1 } } });
        Assert.True(status == HttpStatusCode.OK && (int)body!["joined"]! == 1, body?.ToJsonString());
        var labelled = await Server.GetJsonAsync($"api/v1/traces/{id}");
        Assert.Equal(1.0, (double)labelled["label"]!["value"]!);

        var (exit, output, error) = await FleetCommand.RunAsync(Server, null, "trace", id);
        Assert.True(exit == 0, error);
        Assert.Contains($"request {id}: {model.Name} version 1 on {host}", output);
        Assert.Contains("  label      1 (at ", output);
        Assert.Contains($"  trace id   {TraceId}", output);
    }

    [Fact]
    public async Task A_broken_answer_is_traced_with_the_fallback_that_answered_and_an_unknown_id_is_a_404_that_says_why()
    {
        var (name, _, _) = await TwoVersions.CreateAsync(Server, "tr-nan", "breast-cancer", Repo.Sample("testing", "breast-cancer-nan.onnx"));
        var request = JsonNode.Parse(await File.ReadAllTextAsync(Repo.Sample("testing", "breast-cancer-nan.json")))!["request"]!.AsObject();
        var id = Names.Model("nanreq");
        request["id"] = id;
        var (status, body) = await Server.PostJsonAsync($"v2/models/{name}/infer", request);
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());

        var trace = await Server.GetJsonAsync($"api/v1/traces/{id}");
        Assert.Equal(("fallback", "failed", "2", "1"), ((string)trace["outcome"]!, (string)trace["output_check"]!, (string)trace["version"]!, (string)trace["answered_by"]!));
        Assert.StartsWith("version 2 broke its output contract: output 'probabilities'", (string)trace["fallback"]!); // why the fallback answered

        var (missing, error) = await Server.SendJsonAsync(HttpMethod.Get, "api/v1/traces/no-such-request", null);
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.StartsWith("trace 'no-such-request' not found on any silo (each keeps its answered requests up to Fleet:Tracing:Capacity, for Fleet:Tracing:Retention; this one holds ", (string)error!["error"]!);
    }
}
