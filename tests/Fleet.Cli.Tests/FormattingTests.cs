using System.Text.Json.Nodes;
using Fleet.Cli.Commands;
using Fleet.Cli.Http;

namespace Fleet.Cli.Tests;

/// <summary>Unit tests of the pieces that need no server: URL resolution, error messages, tables, formatting.</summary>
public sealed class FormattingTests
{
    [Fact]
    public void Server_url_defaults_to_loopback_8080()
    {
        Assert.Equal("http://127.0.0.1:8080", GlobalOptions.ResolveServerUrl(null, _ => null));
        Assert.Equal("http://127.0.0.1:8080", GlobalOptions.ResolveServerUrl("  ", _ => ""));
    }

    [Fact]
    public void Server_url_prefers_option_then_environment()
    {
        Func<string, string?> env = name => name == "FLEET_SERVER" ? "https://fleet.example:9443/" : null;

        Assert.Equal("https://fleet.example:9443", GlobalOptions.ResolveServerUrl(null, env));
        Assert.Equal("http://10.0.0.5:8080/fleet", GlobalOptions.ResolveServerUrl("http://10.0.0.5:8080/fleet/", env));
    }

    [Theory]
    [InlineData("""{"error": "model 'x' not found"}""", 404, "model 'x' not found")]
    [InlineData("""{"error": "version v1 is live", "code": "conflict"}""", 409, "version v1 is live")]
    [InlineData("""{"title": "Bad Request", "detail": "name is required"}""", 400, "name is required")]
    [InlineData("""{"error": {"message": "nested"}}""", 500, "nested")]
    [InlineData("upstream\n  failed", 502, "upstream failed")]
    [InlineData("", 401, "unauthorized (missing or invalid token; see --token / FLEET_TOKEN)")]
    [InlineData("", 404, "not found")]
    [InlineData("", 503, "server error")]
    public void Error_message_is_taken_from_the_response(string body, int status, string expected)
    {
        Assert.Equal(expected, FleetApiClient.ExtractErrorMessage(body, status));
    }

    [Fact]
    public void Query_string_includes_only_given_values_and_escapes_them()
    {
        Assert.Equal("", FleetApiClient.Query(("version", null), ("note", null)));
        Assert.Equal("?version=v%202&note=a%26b%3Dc", FleetApiClient.Query(("version", "v 2"), ("note", "a&b=c")));
        Assert.Equal("?note=x", FleetApiClient.Query(("version", null), ("note", "x")));
        Assert.Equal("my%2Fmodel", FleetApiClient.Segment("my/model"));
    }

    [Fact]
    public void Table_aligns_columns_and_shows_empty_cells_as_dash()
    {
        var table = new Table("NAME", "LIVE", "DESCRIPTION");
        table.Add("iris", "v12", "Iris\nflowers");
        table.Add("wine-quality", null, "");
        using var output = new StringWriter();

        table.WriteTo(output);

        Assert.Equal(
            "NAME          LIVE  DESCRIPTION\n" +
            "iris          v12   Iris flowers\n" +
            "wine-quality  -     -\n",
            output.ToString());
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1536, "1.5 KB")]
    [InlineData(12345678, "11.8 MB")]
    [InlineData(3L * 1024 * 1024 * 1024, "3 GB")]
    public void Bytes_are_human_readable(long bytes, string expected)
    {
        Assert.Equal(expected, Format.Bytes(bytes));
    }

    [Theory]
    [InlineData("2025-03-01T10:00:00.1234567+00:00", "2025-03-01T10:00:00Z")]
    [InlineData("2025-03-01T12:00:00+02:00", "2025-03-01T10:00:00Z")]
    [InlineData("yesterday", "yesterday")]
    [InlineData("", "")]
    public void Times_are_shown_in_utc_seconds(string value, string expected)
    {
        Assert.Equal(expected, Format.Time(value));
    }

    [Fact]
    public void Fields_are_read_tolerantly()
    {
        var node = JsonNode.Parse("""{"name": "iris", "count": 3, "live": null, "ok": true, "list": [1]}""");

        Assert.Equal("iris", Format.Str(node, "name"));
        Assert.Equal("3", Format.Str(node, "count"));
        Assert.Equal("", Format.Str(node, "live"));
        Assert.Equal("", Format.Str(node, "missing"));
        Assert.Equal("true", Format.Str(node, "ok"));
        Assert.Equal("", Format.Str(JsonNode.Parse("[1]"), "name"));
        Assert.Empty(Format.Arr(node, "name"));
        Assert.Single(Format.Arr(node, "list"));
        Assert.Equal(3, Format.Long(node, "count"));
        Assert.Null(Format.Long(node, "live"));
    }

    [Fact]
    public void Json_output_is_indented_and_keeps_non_ascii_text()
    {
        var node = JsonNode.Parse("""{"description":"Iris – ümlaut","size_bytes":12345678901234,"x":0.10}""");

        Assert.Equal(
            "{\n  \"description\": \"Iris – ümlaut\",\n  \"size_bytes\": 12345678901234,\n  \"x\": 0.10\n}",
            Format.Json(node));
    }

    [Fact]
    public void Infer_summary_truncates_outputs_to_ten_values()
    {
        var response = JsonNode.Parse("""
            {
              "model_name": "iris", "model_version": "3", "id": "req-1",
              "outputs": [
                {"name": "probabilities", "datatype": "FP32", "shape": [2, 6], "data": [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [1, 2, 3, 4, 5, 6]]},
                {"name": "label", "datatype": "INT64", "shape": [2], "data": [0, 2]},
                {"name": "text", "datatype": "BYTES", "shape": [1], "data": ["setosa"]}
              ]
            }
            """);
        using var output = new StringWriter();

        InferCommand.WriteSummary(output, response);

        Assert.Equal(
            "model iris version 3 id req-1\n" +
            "probabilities FP32 [2,6] 0.1 0.2 0.3 0.4 0.5 0.6 1 2 3 4 ... (12 values)\n" +
            "label INT64 [2] 0 2\n" +
            "text BYTES [1] setosa\n",
            output.ToString());
    }

    [Fact]
    public void Infer_summary_tolerates_missing_fields()
    {
        using var output = new StringWriter();

        InferCommand.WriteSummary(output, JsonNode.Parse("""{"outputs": [{"name": "y"}]}"""));

        Assert.Equal("model - version - id -\ny - []\n", output.ToString());
    }
}
