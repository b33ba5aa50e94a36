using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Server;

[Collection(ServerCollection.Name)]
[Trait(Speed.Trait, Speed.Server)]
public sealed class InferenceTests(ServerFixture fixture)
{
    private FleetServer Server => fixture.Server;

    [Theory]
    [InlineData("breast-cancer")]
    [InlineData("wine")]
    [InlineData("diabetes")]
    public async Task Bundled_samples_answer_their_golden_files(string model)
    {
        var golden = Golden.Load(Repo.Sample(model, "golden.json"));

        var response = await Server.Client.PostAsync($"v2/models/{model}/infer", new StringContent(golden.Request.ToJsonString()));

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("Fleet-Model-Version").Single());
        var body = JsonNode.Parse(text)!;
        Assert.Equal(model, (string)body["model_name"]!);
        Assert.Equal("1", (string)body["model_version"]!);
        Assert.Equal((string)golden.Request["id"]!, (string)body["id"]!);
        Assert.Equal("CPU", (string)body["parameters"]!["execution_provider"]!);
        golden.AssertMatches(body);
    }

    [Fact]
    public async Task Versioned_infer_and_generated_id()
    {
        var request = JsonNode.Parse(await File.ReadAllTextAsync(Repo.Sample("wine", "request.json")))!.AsObject();
        request.Remove("id");

        var (status, body) = await Server.PostJsonAsync("v2/models/wine/versions/1/infer", request.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("1", (string)body!["model_version"]!);
        Assert.Equal(32, ((string)body["id"]!).Length);
        Assert.Equal("[3,3]", body["outputs"]![0]!["shape"]!.ToJsonString());
    }

    [Fact]
    public async Task Arbitrary_graph_with_several_inputs_types_scalars_and_dynamic_dims()
    {
        var name = Names.Model("multi");
        await Server.RegisterAsync(name, "other");
        await Server.UploadAsync(name, Repo.Sample("testing", "multi-input.onnx"), "1");
        await Server.PromoteAsync(name, "1");
        await Server.WaitServingAsync(name, "1");
        var golden = Golden.Load(Repo.Sample("testing", "multi-input.golden.json"));

        var (status, body) = await Server.PostJsonAsync($"v2/models/{name}/infer", golden.Request.ToJsonString());

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        golden.AssertMatches(body!);
        var metadata = await Server.GetJsonAsync($"v2/models/{name}");
        var tokens = metadata["inputs"]!.AsArray().Single(i => (string)i!["name"]! == "tokens")!;
        Assert.Equal("INT64", (string)tokens["datatype"]!);
        Assert.Equal("[-1,-1]", tokens["shape"]!.ToJsonString());
        var offset = metadata["inputs"]!.AsArray().Single(i => (string)i!["name"]! == "offset")!;
        Assert.Equal("[]", offset["shape"]!.ToJsonString());
    }

    [Fact]
    public async Task Nested_data_and_any_property_order_are_accepted()
    {
        const string request = """
            {"inputs":[{"data":[[14.23,1.71,2.43,15.6,127,2.8,3.06,0.28,2.29,5.64,1.04,3.92,1065]],"datatype":"FP32","shape":[1,13],"name":"input"}],
             "parameters":{"anything":1},"outputs":[{"name":"label"}]}
            """;

        var (status, body) = await Server.PostJsonAsync("v2/models/wine/infer", request);

        Assert.Equal(HttpStatusCode.OK, status);
        var outputs = body!["outputs"]!.AsArray();
        Assert.Single(outputs);
        Assert.Equal("label", (string)outputs[0]!["name"]!);
        Assert.Equal("[0]", outputs[0]!["data"]!.ToJsonString());
    }

    public static TheoryData<string, HttpStatusCode, string> BadRequests => new()
    {
        { """{"inputs":[{"name":"x","shape":[1,13],"datatype":"FP32","data":[1,2,3,4,5,6,7,8,9,10,11,12,13]}]}""", HttpStatusCode.BadRequest, "input 'x': unknown input; model 'wine' version '1' takes: input" },
        { """{"inputs":[{"name":"input","shape":[1,13],"datatype":"FP64","data":[1,2,3,4,5,6,7,8,9,10,11,12,13]}]}""", HttpStatusCode.BadRequest, "input 'input': datatype FP64 does not match the model's FP32" },
        { """{"inputs":[{"name":"input","shape":[1,13],"datatype":"FP32","data":[1,2,3,4,5,6,7,8,9,10,11,12]}]}""", HttpStatusCode.BadRequest, "input 'input': shape [1,13] needs 13 values, data has 12" },
        { """{"inputs":[{"name":"input","shape":[1,12],"datatype":"FP32","data":[1,2,3,4,5,6,7,8,9,10,11,12]}]}""", HttpStatusCode.BadRequest, "input 'input': shape [1,12] does not match the model's [-1,13] (dimension 1 must be 13)" },
        { """{"inputs":[{"name":"input","shape":[13],"datatype":"FP32","data":[1,2,3,4,5,6,7,8,9,10,11,12,13]}]}""", HttpStatusCode.BadRequest, "input 'input': shape [13] has rank 1, the model expects rank 2 [-1,13]" },
        { """{"inputs":[]}""", HttpStatusCode.BadRequest, "input 'input': missing; model 'wine' version '1' needs: input" },
        { """{"id":"x"}""", HttpStatusCode.BadRequest, "inputs: missing; the request must list the model's inputs" },
        { """{"inputs":[{"name":"input","shape":[1,13],"datatype":"FP32","data":["a",2,3,4,5,6,7,8,9,10,11,12,13]}]}""", HttpStatusCode.BadRequest, "input 'input': data[0] = \"a\" (a string) is not a valid FP32 value" },
        { """{"inputs":[{"name":"input","shape":[1,13],"datatype":"FP16","data":[1,2,3,4,5,6,7,8,9,10,11,12,13]}]}""", HttpStatusCode.BadRequest, "input 'input': datatype 'FP16' is not supported (BOOL, INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64, FP32, FP64)" },
        { """{"inputs":[{"name":"input","shape":[1,13],"datatype":"FP32"}]}""", HttpStatusCode.BadRequest, "input 'input': missing 'data'" },
        { """{"inputs":[{"name":"input","shape":[1,13],"datatype":"FP32","data":[1,2,3,4,5,6,7,8,9,10,11,12,13]}],"outputs":[{"name":"nope"}]}""", HttpStatusCode.BadRequest, "output 'nope': unknown output; model 'wine' version '1' has: probabilities, label" },
        { "", HttpStatusCode.BadRequest, "body: empty; expected an Open Inference Protocol JSON request with 'inputs'" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_refused_with_the_exact_field_and_problem(string request, HttpStatusCode expectedStatus, string expectedError)
    {
        var response = await Server.Client.PostAsync("v2/models/wine/infer", new StringContent(request));

        Assert.Equal(expectedStatus, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(expectedError, (string)body["error"]!);
    }

    [Fact]
    public async Task A_shape_larger_than_the_body_can_hold_is_refused_before_any_allocation()
    {
        const string request = """{"inputs":[{"name":"input","shape":[165000000,13],"datatype":"FP32","data":[0]}]}""";

        var (status, body) = await Server.PostJsonAsync("v2/models/wine/infer", request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"input 'input': shape [165000000,13] needs more values than a {request.Length}-byte body can hold", (string)body!["error"]!);
    }

    [Fact]
    public async Task Body_that_is_not_json_is_a_400_naming_the_body()
    {
        var response = await Server.Client.PostAsync("v2/models/wine/infer", new StringContent("{not json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.StartsWith("body: not valid JSON (", error);
    }

    [Fact]
    public async Task Unknown_model_and_version_are_404()
    {
        var (status, body) = await Server.PostJsonAsync("v2/models/no-such-model/infer", "{}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("model 'no-such-model' not found", (string)body!["error"]!);

        (status, body) = await Server.PostJsonAsync("v2/models/wine/versions/99/infer", "{}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("version: model 'wine' has no version '99'", (string)body!["error"]!);

        var ready = await Server.Client.GetAsync("v2/models/no-such-model/ready");
        Assert.Equal(HttpStatusCode.NotFound, ready.StatusCode);
    }

    [Fact]
    public async Task Health_metadata_and_metrics()
    {
        Assert.Equal(HttpStatusCode.OK, (await Server.Client.GetAsync("v2/health/live")).StatusCode);
        // Server readiness covers every model on this shared server; one another test just switched may still be loading.
        await Poll.UntilAsync(async () => (await Server.Client.GetAsync("v2/health/ready")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "the shared server ready");
        Assert.Equal(HttpStatusCode.OK, (await Server.Client.GetAsync("v2/models/wine/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Server.Client.GetAsync("v2/models/wine/versions/1/ready")).StatusCode);

        var server = await Server.GetJsonAsync("v2");
        Assert.Equal("fleet", (string)server["name"]!);

        var wine = await Server.GetJsonAsync("v2/models/wine");
        Assert.Equal("onnxruntime_onnx", (string)wine["platform"]!);
        Assert.Equal("CPU", (string)wine["parameters"]!["execution_provider"]!);
        Assert.Equal("1", (string)wine["parameters"]!["live_version"]!);
        Assert.Equal("[-1,13]", wine["inputs"]![0]!["shape"]!.ToJsonString());

        var version = await Server.GetJsonAsync("v2/models/wine/versions/1");
        Assert.Equal("live", (string)version["parameters"]!["state"]!);

        var (inferStatus, inferBody) = await Server.PostJsonAsync("v2/models/wine/infer", await File.ReadAllTextAsync(Repo.Sample("wine", "request.json")));
        Assert.True(inferStatus == HttpStatusCode.OK, $"wine infer: {(int)inferStatus} {inferBody?.ToJsonString()}");
        string metrics = "";
        // Orleans' own metrics are checked on a silo in its own process (RedisClusterTests): in this shared test
        // process another host stopping can drop them from this one's export.
        await Poll.UntilAsync(async () => (metrics = await Server.Client.GetStringAsync("metrics")).Contains("fleet_inference_requests_total{otel_scope_name=\"Fleet\",model=\"wine\",outcome=\"ok\",version=\"1\"}"),
            TimeSpan.FromSeconds(30), "the wine request counter on /metrics");
        Assert.Contains("fleet_inference_duration_seconds_bucket", metrics);

        var status = await Server.GetJsonAsync("api/v1/status");
        Assert.Equal("local", (string)status["host"]!["cluster_mode"]!);
        Assert.Equal("CPU", (string)status["host"]!["execution_provider"]!);
        Assert.StartsWith("CUDA execution provider did not load", (string)status["host"]!["execution_provider_note"]!);
        Assert.True((bool)status["host"]!["ready"]!);
    }

    [Fact]
    public async Task Orleans_dashboard_is_mounted()
    {
        var response = await Server.Client.GetAsync("dashboard/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("html", (await response.Content.ReadAsStringAsync()).ToLowerInvariant());
    }
}
