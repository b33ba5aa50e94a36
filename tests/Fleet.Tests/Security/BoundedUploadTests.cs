using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Security;

/// <summary>Multipart uploads are streamed into the data directory's own tmp folder, counted against the limit as they arrive, and leave nothing behind.</summary>
[Trait(Speed.Trait, Speed.Server)]
public sealed class BoundedUploadTests
{
    [Fact]
    public async Task A_multipart_upload_spools_inside_the_data_directory_is_cut_at_the_limit_and_leaves_nothing()
    {
        await using var server = await FleetServer.StartAsync(null, "--Fleet:MaxArtifactBytes=10000");
        var name = Names.Model("bounded");
        await server.RegisterAsync(name);
        var tmp = Path.Combine(server.DataDirectory, "tmp");

        // model (2,203 bytes) + reference (8,935 bytes) is over 10,000: refused while streaming (chunked: no length to check up front).
        var (status, error) = await PostChunkedAsync(server, name, ("file", Repo.Sample("wine", "model.onnx")), ("reference", Repo.Sample("wine", "reference.csv")));
        Assert.True(error == "body: the upload exceeds the limit of 10000 bytes (Fleet:MaxArtifactBytes)", error);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Empty(Directory.EnumerateFileSystemEntries(tmp));
        Assert.Empty((await server.GetJsonAsync($"api/v1/models/{name}/versions"))["versions"]!.AsArray());

        // With a declared length the same upload is refused before a byte is read.
        using (var form = Form(("file", Repo.Sample("wine", "model.onnx")), ("reference", Repo.Sample("wine", "reference.csv"))))
        {
            var length = (await form.ReadAsByteArrayAsync()).Length;
            var response = await server.Client.PostAsync($"api/v1/models/{name}/versions", form);
            Assert.Equal((HttpStatusCode.BadRequest, $"body: {length} bytes exceeds the limit of 10000 bytes (Fleet:MaxArtifactBytes)"),
                (response.StatusCode, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]));
        }

        // model + golden (8,621 bytes) fits: accepted, and its spooled files are gone.
        (status, error) = await PostChunkedAsync(server, name, ("file", Repo.Sample("wine", "model.onnx")), ("golden", Repo.Sample("wine", "golden.json")));
        Assert.Equal((HttpStatusCode.Created, null), (status, error));
        Assert.Empty(Directory.EnumerateFileSystemEntries(tmp));
        Assert.Single((await server.GetJsonAsync($"api/v1/models/{name}/versions"))["versions"]!.AsArray());
    }

    [Fact]
    public async Task A_reference_with_more_rows_than_the_limit_is_a_400_naming_the_setting_and_stores_nothing()
    {
        await using var server = await FleetServer.StartAsync(null, "--Fleet:MaxReferenceRows=100", "--Fleet:SampleModels=false");
        var name = Names.Model("rows");
        await server.RegisterAsync(name);

        // (Without the samples: their own references are longer than this.) The wine reference has 133 data rows after its header: the 101st is on line 102.
        var (status, error) = await PostChunkedAsync(server, name, ("file", Repo.Sample("wine", "model.onnx")), ("reference", Repo.Sample("wine", "reference.csv")));
        Assert.Equal((HttpStatusCode.BadRequest, "reference: more than 100 data rows (line 102); the limit is Fleet:MaxReferenceRows"), (status, error));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(server.DataDirectory, "tmp")));
        Assert.Empty((await server.GetJsonAsync($"api/v1/models/{name}/versions"))["versions"]!.AsArray());
    }

    [Fact]
    public async Task A_sample_refused_by_the_row_limit_keeps_the_server_unready_and_its_readiness_says_why()
    {
        // breast-cancer, the first sample, ships 426 labeled reference rows.
        await using var server = await FleetServer.StartWithoutWaitingAsync(null, "--Fleet:MaxReferenceRows=200");
        const string expected = "routing table not synced yet: sample model 'breast-cancer' version '1' was refused: "
            + "reference: more than 200 data rows (line 202); the limit is Fleet:MaxReferenceRows (set Fleet:SampleModels=false to start without the samples)";
        string? error = null;
        await Poll.UntilAsync(async () =>
        {
            var response = await server.Client.GetAsync("v2/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            error = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"];
            return error == expected;
        }, TimeSpan.FromSeconds(60), "the readiness error naming the sample");
    }

    private static MultipartFormDataContent Form(params (string Field, string Path)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (field, path) in files)
        {
            form.Add(new ByteArrayContent(File.ReadAllBytes(path)), field, Path.GetFileName(path));
        }

        form.Add(new StringContent("1"), "version");
        return form;
    }

    private static async Task<(HttpStatusCode, string?)> PostChunkedAsync(FleetServer server, string name, params (string Field, string Path)[] files)
    {
        using var form = Form(files);
        var bytes = await form.ReadAsByteArrayAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/models/{name}/versions") { Content = new StreamContent(new MemoryStream(bytes)) };
        request.Content.Headers.ContentType = form.Headers.ContentType;
        request.Headers.TransferEncodingChunked = true;
        using var response = await server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.StatusCode == HttpStatusCode.Created ? null : (string?)JsonNode.Parse(text)!["error"]);
    }
}
