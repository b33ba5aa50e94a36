using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Server;

/// <summary>Golden sets recorded with each version: from a golden file or the reference rows it runs; else none yet (recorded from live traffic).</summary>
[Collection(ServerCollection.Name)]
[Trait(Speed.Trait, Speed.Server)]
public sealed class GoldenSetTests(ServerFixture fixture)
{
    private FleetServer Server => fixture.Server;

    [Fact]
    public async Task Bundled_samples_carry_their_committed_golden_file()
    {
        var golden = await Server.GetJsonAsync("api/v1/models/wine/versions/1/golden");
        var file = JsonNode.Parse(await File.ReadAllTextAsync(Repo.Sample("wine", "golden.json")))!;

        Assert.Equal(("wine", "1", "golden file golden.json", 0.0001, 0.0),
            ((string)golden["model"]!, (string)golden["version"]!, (string)golden["source"]!, (double)golden["tolerance"]!, (double)golden["relative_tolerance"]!));
        Assert.Equal(file["request"]!["inputs"]![0]!["shape"]!.ToJsonString(), golden["request"]!["inputs"]![0]!["shape"]!.ToJsonString());
        Assert.Equal(Numbers(file["request"]!["inputs"]![0]!["data"]!), Numbers(golden["request"]!["inputs"]![0]!["data"]!));
        foreach (var expected in file["expected"]!["outputs"]!.AsArray())
        {
            var stored = golden["expected"]!["outputs"]!.AsArray().Single(o => (string)o!["name"]! == (string)expected!["name"]!)!;
            Assert.Equal(expected!["shape"]!.ToJsonString(), stored["shape"]!.ToJsonString());
            Assert.Equal(Numbers(expected["data"]!), Numbers(stored["data"]!));
        }
    }

    [Fact]
    public async Task Reference_upload_records_its_first_rows_with_the_model_outputs()
    {
        var name = Names.Model("gref");
        await Server.RegisterAsync(name);

        var added = await Server.UploadWithReferenceAsync(name, Repo.Sample("wine", "model.onnx"), Repo.Sample("wine", "reference_labeled.csv"), "1", "target");

        Assert.Equal("""{"source":"reference data: first 16 rows","rows":16,"outputs":["probabilities","label"],"tolerance":0.001,"relative_tolerance":0.001}""",
            added["golden"]!.ToJsonString());
        var golden = await Server.GetJsonAsync($"api/v1/models/{name}/versions/1/golden");
        var input = golden["request"]!["inputs"]![0]!;
        Assert.Equal(("input", "FP32", "[16,13]"), ((string)input["name"]!, (string)input["datatype"]!, input["shape"]!.ToJsonString()));
        var firstRow = File.ReadLines(Repo.Sample("wine", "reference_labeled.csv")).Skip(1).First().Split(',').Take(13)
            .Select(v => (double)float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(firstRow, Numbers(input["data"]!).Take(13).ToArray());
        Assert.Equal("[16,3]", golden["expected"]!["outputs"]![0]!["shape"]!.ToJsonString());
    }

    [Fact]
    public async Task Rows_the_model_answers_with_NaN_are_left_out_of_the_golden_set()
    {
        var name = Names.Model("gnan");
        await Server.RegisterAsync(name);

        var added = await Server.UploadWithReferenceAsync(name, Repo.Sample("testing", "breast-cancer-nan.onnx"), Repo.Sample("breast-cancer", "reference_labeled.csv"), "1", "target");

        // Reference row 2 has mean_radius above 17, where this version answers NaN.
        Assert.Equal("reference data: first 16 rows with finite outputs (1 skipped)", (string)added["golden"]!["source"]!);
        var golden = await Server.GetJsonAsync($"api/v1/models/{name}/versions/1/golden");
        Assert.DoesNotContain("NaN", golden.ToJsonString());
    }

    [Fact]
    public async Task Upload_without_reference_or_golden_file_has_no_golden_set_yet_and_says_how_it_gets_one()
    {
        var name = Names.Model("gnone");
        await Server.RegisterAsync(name);

        var added = await Server.UploadAsync(name, Repo.Sample("wine", "model.onnx"), "1");

        Assert.Null(added["golden"]);
        Assert.Equal("no golden file and no reference data describing the model's input; it is recorded from live traffic once 20 live requests " +
            "have succeeded on a host (Fleet:Probes:LiveGoldenRequests)", (string)added["golden_none"]!);
        var version = await Server.GetJsonAsync($"api/v1/models/{name}/versions/1");
        Assert.Null(version["golden"]);
        Assert.StartsWith("it had no golden file and no reference rows it could run when it was added; it is recorded from live traffic once 20",
            (string)version["golden_none"]!);
        var (status, body) = await Server.SendJsonAsync(HttpMethod.Get, $"api/v1/models/{name}/versions/1/golden", null);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.StartsWith($"version: model '{name}' version '1' has no golden set yet: it had no golden file", (string)body!["error"]!);
    }

    [Fact]
    public async Task A_version_with_a_golden_set_says_which_when_shown()
    {
        var version = await Server.GetJsonAsync("api/v1/models/wine/versions/1");

        Assert.Equal("""{"source":"golden file golden.json","rows":20,"outputs":["probabilities","label"],"tolerance":0.0001,"relative_tolerance":0}""",
            version["golden"]!.ToJsonString());
        Assert.Null(version["golden_none"]);
    }

    [Fact]
    public async Task A_golden_file_is_stored_when_the_model_reproduces_it()
    {
        var name = Names.Model("gfile");
        await Server.RegisterAsync(name);

        var (status, body) = await UploadWithGoldenAsync(name, Repo.Sample("testing", "multi-input.onnx"), Repo.Sample("testing", "multi-input.golden.json"));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("""{"source":"golden file multi-input.golden.json","rows":2,"outputs":["masked_sum","counts_x2","token_sum","any_mask"],"tolerance":0.0001,"relative_tolerance":0}""",
            body!["golden"]!.ToJsonString());
        var golden = await Server.GetJsonAsync($"api/v1/models/{name}/versions/1/golden");
        var tokenSum = golden["expected"]!["outputs"]!.AsArray().Single(o => (string)o!["name"]! == "token_sum")!;
        Assert.Equal("[2226,6999999999]", tokenSum["data"]!.ToJsonString());
    }

    [Fact]
    public async Task A_downloaded_golden_set_uploads_again_as_a_golden_file()
    {
        var name = Names.Model("gtrip");
        await Server.RegisterAsync(name);
        await Server.UploadWithReferenceAsync(name, Repo.Sample("diabetes", "model.onnx"), Repo.Sample("diabetes", "reference_labeled.csv"), "1", "target");
        var golden = await Server.GetJsonAsync($"api/v1/models/{name}/versions/1/golden");
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "diabetes-golden.json");
        await File.WriteAllTextAsync(path, golden.ToJsonString());

        var (status, body) = await UploadWithGoldenAsync(name, Repo.Sample("diabetes", "model.onnx"), path, "2");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("golden file diabetes-golden.json", (string)body!["golden"]!["source"]!);
    }

    [Fact]
    public async Task A_golden_file_the_model_does_not_reproduce_is_refused()
    {
        var name = Names.Model("gbad");
        await Server.RegisterAsync(name);

        var (status, body) = await UploadWithGoldenAsync(name, Repo.Sample("wine", "model.onnx"), Repo.Sample("testing", "wine-v2.golden.json"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("golden: the model does not reproduce wine-v2.golden.json: output 'probabilities': 55 of 60 values differ; first [0] = 0.99464154, expected 0.99136317 (tolerance 0.0001)",
            (string)body!["error"]!);
        var versions = await Server.GetJsonAsync($"api/v1/models/{name}/versions");
        Assert.Empty(versions["versions"]!.AsArray());
    }

    [Theory]
    [InlineData("not json", "golden: not valid JSON (")]
    [InlineData("""{"expected": {"outputs": []}}""", "golden: request: missing; expected an Open Inference Protocol request object with 'inputs'")]
    [InlineData("""{"request": {"inputs": [{"name": "input", "shape": [1, 12], "datatype": "FP32", "data": [1,2,3,4,5,6,7,8,9,10,11,12]}]}, "expected": {"outputs": [{"name": "label", "shape": [1], "data": [0]}]}}""",
        "golden: request: input 'input': shape [1,12] does not match the model's [-1,13] (dimension 1 must be 13)")]
    [InlineData("""{"request": {"inputs": []}, "expected": {"outputs": [{"name": "logits", "shape": [1], "data": [0]}]}}""",
        "golden: request: input 'input': missing; model '{name}' version '(upload)' needs: input")]
    [InlineData("""{"tolerance": -1, "request": {}, "expected": {}}""", "golden: tolerance: must be a non-negative number, not -1")]
    public async Task Malformed_golden_files_are_400_naming_the_problem(string content, string message)
    {
        var name = Names.Model("gmal");
        await Server.RegisterAsync(name);
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "golden.json");
        await File.WriteAllTextAsync(path, content);

        var (status, body) = await UploadWithGoldenAsync(name, Repo.Sample("wine", "model.onnx"), path);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(message.Replace("{name}", name, StringComparison.Ordinal), (string)body!["error"]!);
    }

    [Fact]
    public async Task An_expected_output_the_model_does_not_have_is_refused()
    {
        var name = Names.Model("gout");
        await Server.RegisterAsync(name);
        using var dir = new TempDirectory();
        var request = JsonNode.Parse(await File.ReadAllTextAsync(Repo.Sample("wine", "golden.json")))!["request"]!.ToJsonString();
        var path = Path.Combine(dir.Path, "golden.json");
        await File.WriteAllTextAsync(path, "{\"request\": " + request + """, "expected": {"outputs": [{"name": "logits", "shape": [1], "data": [0]}]}}""");

        var (status, body) = await UploadWithGoldenAsync(name, Repo.Sample("wine", "model.onnx"), path);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("golden: expected output 'logits': the model has no such output (it has: probabilities, label)", (string)body!["error"]!);
    }

    [Fact]
    public async Task Golden_of_an_unknown_version_is_404()
    {
        var (status, body) = await Server.SendJsonAsync(HttpMethod.Get, "api/v1/models/wine/versions/9/golden", null);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("version: model 'wine' has no version '9'", (string)body!["error"]!);
    }

    private Task<(HttpStatusCode Status, JsonNode? Body)> UploadWithGoldenAsync(string name, string onnxPath, string goldenPath, string version = "1") =>
        Server.TryUploadWithGoldenAsync(name, onnxPath, goldenPath, version);

    private static double[] Numbers(JsonNode data) => data.AsArray().Select(v => v!.GetValueKind() == System.Text.Json.JsonValueKind.Number
        ? (double)(float)(double)v : ((bool)v ? 1.0 : 0.0)).ToArray();
}
