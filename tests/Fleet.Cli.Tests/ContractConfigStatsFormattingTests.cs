using System.Text;
using System.Text.Json.Nodes;
using Fleet.Cli.Commands;

namespace Fleet.Cli.Tests;

/// <summary>Formatting of contracts, configs, stats, uploads with reference data and fallback answers, from canned JSON.</summary>
public sealed class ContractConfigStatsFormattingTests
{
    private static string Write(Action<TextWriter> write)
    {
        using var output = new StringWriter();
        write(output);
        return output.ToString();
    }

    [Fact]
    public void Contract_with_reference_shows_input_features_and_outputs()
    {
        var contract = JsonNode.Parse("""
            {
              "input": {
                "input": "input",
                "features": [
                  {"index": 0, "name": "mean_radius", "min": 5.5, "max": 30.1, "allow_missing": false, "categories": null, "median": 13.299999237060547, "mad": 2.1},
                  {"index": 1, "name": "grade", "min": 1, "max": 3, "allow_missing": true, "categories": [1, 2, 3], "median": 2, "mad": 1},
                  {"index": 2, "name": "zip", "allow_missing": true, "categories": [1,2,3,4,5,6,7,8,9,10,11,12]}
                ],
                "source": "reference (426 rows, margin 0.1)"
              },
              "output": {
                "outputs": [
                  {"output": "probabilities", "kind": "probabilities", "min": null, "max": null, "class_count": 2},
                  {"output": "score", "kind": "values", "min": -1.5, "max": 2, "class_count": null}
                ],
                "source": "model metadata"
              }
            }
            """);

        var text = Write(o => ContractCommands.WriteContract(o, contract));

        Assert.Equal(
            "input:          input\n" +
            "input source:   reference (426 rows, margin 0.1)\n" +
            "output source:  model metadata\n" +
            "\n" +
            "INDEX  FEATURE      MIN  MAX   MISSING  CATEGORIES                    MEDIAN  MAD\n" +
            "0      mean_radius  5.5  30.1  no       -                             13.3    2.1\n" +
            "1      grade        1    3     allowed  1,2,3                         2       1\n" +
            "2      zip          -    -     allowed  1,2,3,4,5,6,7,8,9,10,...(+2)  -       -\n" +
            "\n" +
            "OUTPUT         KIND           MIN   MAX  CLASSES\n" +
            "probabilities  probabilities  -     -    2\n" +
            "score          values         -1.5  2    -\n",
            text);
    }

    [Fact]
    public void Contract_without_reference_shows_only_outputs()
    {
        var contract = JsonNode.Parse("""
            {"input": null, "output": {"outputs": [{"output": "label", "kind": "labels", "class_count": 3}], "source": "declared"}}
            """);

        var text = Write(o => ContractCommands.WriteContract(o, contract));

        Assert.Equal(
            "input:          none (no reference data; only outputs are checked)\n" +
            "output source:  declared\n" +
            "\n" +
            "OUTPUT  KIND    MIN  MAX  CLASSES\n" +
            "label   labels  -    -    3\n",
            text);
    }

    [Fact]
    public void Contract_tolerates_an_empty_response()
    {
        var text = Write(o => ContractCommands.WriteContract(o, null));

        Assert.Equal(
            "input:          none (no reference data; only outputs are checked)\n" +
            "output source:  -\n" +
            "\n" +
            "OUTPUT  KIND  MIN  MAX  CLASSES\n",
            text);
    }

    [Fact]
    public void Config_is_shown_as_key_value_rows()
    {
        var config = JsonNode.Parse("""
            {
              "input_contract": "reject", "input_missing": "flag", "outlier_threshold": 6.0,
              "fallback": ["last-known-good", "default", "error"],
              "fallback_default": {"label": [0], "probabilities": [0.5, 0.5], "name": "ünknown \"x\""}
            }
            """);

        var text = Write(o => ConfigCommands.WriteConfig(o, config));

        Assert.Equal(
            "KEY                VALUE\n" +
            "input_contract     reject\n" +
            "input_missing      flag\n" +
            "outlier_threshold  6.0\n" +
            "fallback           last-known-good,default,error\n" +
            "fallback_default   {\"label\":[0],\"probabilities\":[0.5,0.5],\"name\":\"ünknown \\\"x\\\"\"}\n",
            text);
    }

    [Fact]
    public void Config_shows_null_and_empty_values_as_dash()
    {
        var config = JsonNode.Parse("""{"input_contract": "off", "fallback": [], "fallback_default": null}""");

        var text = Write(o => ConfigCommands.WriteConfig(o, config));

        Assert.Equal(
            "KEY               VALUE\n" +
            "input_contract    off\n" +
            "fallback          -\n" +
            "fallback_default  -\n",
            text);
    }

    [Fact]
    public void Config_set_sends_every_value_as_a_string()
    {
        var body = ConfigCommands.SettingsBody(
            ["input_contract=reject", "fallback=last-known-good,error", "fallback_default={\"label\":[0]}", "outlier_threshold=4.5", "note=a=b", "input_missing="]);

        Assert.Equal(
            """{"input_contract":"reject","fallback":"last-known-good,error","fallback_default":"{\u0022label\u0022:[0]}","outlier_threshold":"4.5","note":"a=b","input_missing":""}""",
            body.ToJsonString());
        Assert.Equal("{\"label\":[0]}", (string)body["fallback_default"]!);
    }

    [Theory]
    [InlineData("a=b", null)]
    [InlineData("a=", null)]
    [InlineData("a==b", null)]
    [InlineData("ab", "Invalid setting 'ab': expected KEY=VALUE.")]
    [InlineData("=b", "Invalid setting '=b': the key is empty (expected KEY=VALUE).")]
    public void Config_settings_are_checked(string argument, string? expected)
    {
        Assert.Equal(expected, ConfigCommands.SettingError(argument));
    }

    [Theory]
    [InlineData("30s", true)]
    [InlineData("5m", true)]
    [InlineData("24h", true)]
    [InlineData("7d", true)]
    [InlineData("0m", true)]
    [InlineData("5", false)]
    [InlineData("5w", false)]
    [InlineData("m5", false)]
    [InlineData("5m\n", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Stats_window_is_a_number_and_a_unit(string? window, bool valid)
    {
        Assert.Equal(valid, StatsCommand.IsValidWindow(window));
    }

    [Fact]
    public void Stats_summary_shows_every_section()
    {
        var stats = JsonNode.Parse("""
            {
              "model": "wine", "version": "3", "window": "5m", "requests": 1200, "rows": 2400,
              "errors": {"bad_input": 3, "runtime_error": 1, "timeout": 0},
              "fallbacks": {"last_known_good": 2},
              "error_rate": 0.0033333, "violations": 7, "outliers": {"alcohol": 2, "ph": 0},
              "throughput_rps": 4.016666,
              "latency_ms": {"p50": 1.234, "p90": 3.4, "p99": 8, "max": 20.5, "mean": 1.9},
              "features": [
                {"name": "alcohol", "count": 2400, "missing": 0, "min": 8.4, "max": 14.9, "mean": 10.4, "p05": 9, "p50": 10.2, "p95": 12.9},
                {"name": "ph", "count": 2398, "missing": 2, "min": null, "max": null, "mean": null, "p05": null, "p50": null, "p95": null}
              ],
              "outputs": {"class_counts": [400, 500, 300], "confidence": {"mean": 0.9123456, "p05": 0.6, "min": 0.41}, "values": null}
            }
            """);

        var text = Write(o => StatsCommand.WriteStats(o, stats, "wine", null, "5m"));

        Assert.Equal(
            "wine version 3, window 5m: 1200 requests, 4.02 rps, error rate 0.33%\n" +
            "latency p50 1.23 ms, p90 3.4 ms, p99 8 ms\n" +
            "errors: bad_input=3 runtime_error=1\n" +
            "fallbacks: last_known_good=2\n" +
            "violations: 7\n" +
            "outliers: alcohol=2\n" +
            "\n" +
            "NAME     COUNT  MISSING  MIN  P50   MAX\n" +
            "alcohol  2400   0        8.4  10.2  14.9\n" +
            "ph       2398   2        -    -     -\n" +
            "\n" +
            "output classes: 0=400 1=500 2=300\n" +
            "output confidence: mean=0.912346 p05=0.6 min=0.41\n",
            text);
    }

    [Fact]
    public void Stats_summary_with_no_traffic()
    {
        var stats = JsonNode.Parse("""
            {"model": "wine", "version": null, "window": "1h", "requests": 0, "errors": {}, "fallbacks": {},
             "error_rate": 0, "throughput_rps": 0, "latency_ms": null, "features": [],
             "outputs": {"class_counts": null, "confidence": null, "values": null}}
            """);

        var text = Write(o => StatsCommand.WriteStats(o, stats, "wine", null, "1h"));

        Assert.Equal(
            "wine version -, window 1h: 0 requests, 0 rps, error rate 0%\n" +
            "latency: -\n" +
            "errors: none\n" +
            "fallbacks: none\n" +
            "violations: none\n" +
            "outliers: none\n" +
            "\n" +
            "features: none recorded\n" +
            "\n" +
            "outputs: none recorded\n",
            text);
    }

    [Fact]
    public void Stats_summary_tolerates_missing_fields_and_computes_the_error_rate()
    {
        var stats = JsonNode.Parse("""
            {"requests": 200, "errors": {"bad_input": 3, "runtime_error": 1},
             "outputs": {"values": {"mean": 0.5, "min": -2, "max": null}}}
            """);

        var text = Write(o => StatsCommand.WriteStats(o, stats, "reg", "v2", "30s"));

        Assert.Equal(
            "reg version v2, window 30s: 200 requests, - rps, error rate 2%\n" +
            "latency: -\n" +
            "errors: bad_input=3 runtime_error=1\n" +
            "fallbacks: none\n" +
            "violations: none\n" +
            "outliers: none\n" +
            "\n" +
            "features: none recorded\n" +
            "\n" +
            "output values: mean=0.5 min=-2 max=-\n",
            text);
    }

    [Fact]
    public void Stats_summary_of_nothing()
    {
        var text = Write(o => StatsCommand.WriteStats(o, null, "m", null, "5m"));

        Assert.StartsWith("m version -, window 5m: - requests, - rps, error rate -%\nlatency: -\nerrors: none\n", text);
    }

    [Fact]
    public void Versions_add_prints_the_contract_from_reference_data()
    {
        var response = JsonNode.Parse("""
            {"version": "3", "sha256": "9f86d081884c7d659a2feaa0c55ad015", "size_bytes": 1832, "state": "staged",
             "contract": {"input": {"input": "float_input", "features": [{"index": 0}, {"index": 1}, {"index": 2}], "source": "reference"},
                          "output": {"outputs": []}}}
            """);

        var text = Write(o => VersionsCommands.WriteAdded(o, "wine", response, 99));

        Assert.Equal(
            "added wine version 3 (sha256 9f86d081884c..., 1832 bytes, staged)\n" +
            "contract: 3 features from reference (input 'float_input')\n",
            text);
    }

    [Fact]
    public void Versions_add_without_reference_data_says_only_outputs_are_checked()
    {
        var response = JsonNode.Parse("""{"version": "4", "sha256": "ab", "state": "staged", "contract": {"input": null, "output": {}}}""");

        var text = Write(o => VersionsCommands.WriteAdded(o, "wine", response, 10));

        Assert.Equal(
            "added wine version 4 (sha256 ab..., 10 bytes, staged)\n" +
            "contract: no reference data (output checks only)\n",
            text);
    }

    [Fact]
    public void Versions_add_without_a_contract_in_the_response_prints_one_line()
    {
        var text = Write(o => VersionsCommands.WriteAdded(o, "wine", JsonNode.Parse("""{"version": "1"}"""), 10));

        Assert.Equal("added wine version 1 (sha256 ..., 10 bytes, -)\n", text);
    }

    [Theory]
    [InlineData("data/reference.csv", "text/csv")]
    [InlineData("data/reference.CSV", "text/csv")]
    [InlineData("reference.txt", "text/csv")]
    [InlineData("reference.jsonl", "application/x-ndjson")]
    [InlineData("reference.NDJSON", "application/x-ndjson")]
    public void Reference_media_type_follows_the_extension(string path, string expected)
    {
        Assert.Equal(expected, VersionsCommands.ReferenceMediaType(path));
    }

    [Fact]
    public async Task Upload_with_reference_is_multipart_with_file_reference_and_text_fields()
    {
        var model = new ByteArrayContent([1, 2, 3]);
        model.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        var reference = new ByteArrayContent(Encoding.UTF8.GetBytes("a,b,label\n1,2,0\n"));

        using var multipart = VersionsCommands.BuildUpload(
            model, "model.onnx", reference, Path.Combine("some", "dir", "wine-train.csv"), "v 3", "retrained – ü", "label");
        var body = await multipart.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal("multipart/form-data", multipart.Headers.ContentType!.MediaType);
        var parts = body.Split("--" + multipart.Headers.ContentType.Parameters.Single(p => p.Name == "boundary").Value!.Trim('"'));
        Assert.Equal(7, parts.Length); // preamble, 5 parts, epilogue "--"
        Assert.Contains("Content-Type: application/octet-stream", parts[1]);
        Assert.Contains("Content-Disposition: form-data; name=file; filename=model.onnx", parts[1]);
        Assert.Contains("Content-Type: text/csv", parts[2]);
        Assert.Contains("Content-Disposition: form-data; name=reference; filename=wine-train.csv", parts[2]);
        Assert.EndsWith("\r\n\r\na,b,label\n1,2,0\n\r\n", parts[2]);
        Assert.Contains("name=version", parts[3]);
        Assert.EndsWith("\r\n\r\nv 3\r\n", parts[3]);
        Assert.Contains("name=note", parts[4]);
        Assert.EndsWith("\r\n\r\nretrained – ü\r\n", parts[4]);
        Assert.Contains("name=label_column", parts[5]);
        Assert.EndsWith("\r\n\r\nlabel\r\n", parts[5]);
    }

    [Fact]
    public async Task Upload_with_reference_leaves_out_fields_not_given()
    {
        using var multipart = VersionsCommands.BuildUpload(
            new ByteArrayContent([1]), "m.onnx", new ByteArrayContent([2]), "r.ndjson", null, null, null);
        var body = await multipart.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Contains("Content-Type: application/x-ndjson", body);
        Assert.DoesNotContain("name=version", body);
        Assert.DoesNotContain("name=note", body);
        Assert.DoesNotContain("name=label_column", body);
    }

    [Fact]
    public void Infer_summary_shows_the_header_version_and_the_fallback()
    {
        var response = JsonNode.Parse("""
            {"model_name": "wine", "model_version": "2", "id": "r1", "outputs": [{"name": "label", "datatype": "INT64", "shape": [1], "data": [0]}]}
            """);

        var text = Write(o => InferCommand.WriteSummary(o, response, "2", "last-known-good"));

        Assert.Equal(
            "model wine version 2 id r1\n" +
            "fallback: last-known-good\n" +
            "label INT64 [1] 0\n",
            text);
    }

    [Fact]
    public void Infer_summary_takes_the_version_from_the_header_when_the_body_lacks_it()
    {
        var text = Write(o => InferCommand.WriteSummary(o, JsonNode.Parse("""{"model_name": "wine", "outputs": []}"""), "7", null));

        Assert.Equal("model wine version 7 id -\n", text);
    }

    [Theory]
    [InlineData("""{"a": 13.299999237060547}""", "13.3")]
    [InlineData("""{"a": 6.0}""", "6")]
    [InlineData("""{"a": 1200}""", "1200")]
    [InlineData("""{"a": 1234567.89}""", "1234570")]
    [InlineData("""{"a": 0.000012345678}""", "1.23457E-05")]
    [InlineData("""{"a": "text"}""", "text")]
    [InlineData("""{"a": null}""", "")]
    [InlineData("""{"a": [1, 2]}""", "[1,2]")]
    [InlineData("""{}""", "")]
    public void Numbers_in_tables_are_rounded_to_six_digits(string json, string expected)
    {
        Assert.Equal(expected, Format.Num(JsonNode.Parse(json), "a"));
    }

    [Theory]
    [InlineData("""{"a": {"x": 1, "y": 0, "z": 2}}""", "x=1 z=2")]
    [InlineData("""{"a": {"x": 0}}""", "none")]
    [InlineData("""{"a": {}}""", "none")]
    [InlineData("""{"a": 5}""", "5")]
    [InlineData("""{"a": null}""", "none")]
    [InlineData("""{}""", "none")]
    public void Counts_leave_out_zeros(string json, string expected)
    {
        Assert.Equal(expected, Format.Counts(JsonNode.Parse(json)!["a"]));
    }
}
