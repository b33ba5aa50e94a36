using System.Text.Json.Nodes;
using Fleet.Cli.Commands;

namespace Fleet.Cli.Tests;

/// <summary><c>fleet hosts</c>, <c>decisions</c>, <c>pin</c>, <c>unpin</c> and <c>versions add --golden</c>: output from canned JSON, usage errors, help.</summary>
public sealed class HealthCommandsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Write(Action<TextWriter> write)
    {
        using var output = new StringWriter();
        write(output);
        return output.ToString();
    }

    [Fact]
    public void Hosts_are_a_table_with_their_loaded_versions_then_the_reasons()
    {
        var response = JsonNode.Parse("""
            {"hosts": [
              {"id": "silo-a", "address": "10.0.0.1:11111@1", "status": "unhealthy",
               "reasons": ["model 'wine' version '2' (live): golden probe failing (3 consecutive): output 'label': 2 of 20 values differ"],
               "provider": "CPU", "memory": {"working_set_bytes": 262144000},
               "models": [{"model": "wine", "version": "2", "role": "live", "verdict": "failing"}, {"model": "wine", "version": "1", "role": "fallback", "verdict": "passing"}],
               "last_probe": "2026-03-01T12:00:05.1234+00:00"},
              {"id": "silo-b", "address": null, "status": "unhealthy", "reasons": ["gone: membership declared silo 'silo-b' dead (last report 40 s ago)"],
               "provider": null, "models": [], "last_probe": null}
            ]}
            """);

        var text = Write(o => HostsCommand.WriteHosts(o, response));

        Assert.Equal(
            "HOST    STATUS     PROVIDER  MEMORY  MODELS                                     LAST_PROBE\n" +
            "silo-a  unhealthy  CPU       250 MB  wine:2 (live, failing), wine:1 (fallback)  2026-03-01T12:00:05Z\n" +
            "silo-b  unhealthy  -         -       -                                          -\n" +
            "  silo-a: model 'wine' version '2' (live): golden probe failing (3 consecutive): output 'label': 2 of 20 values differ\n" +
            "  silo-b: gone: membership declared silo 'silo-b' dead (last report 40 s ago)\n",
            text);
    }

    [Fact]
    public void Decisions_are_a_table_then_each_reason_outcome_and_evidence()
    {
        var response = JsonNode.Parse("""
            {"decisions": [
              {"id": "d000002", "time": "2026-03-01T12:01:00+00:00", "model": "wine", "action": "skipped", "intended_action": "rollback",
               "from_version": "2", "to_version": "1", "host": null, "status": "done", "outcome": null,
               "reason": "model is pinned to version 2 by alice, so automation leaves it alone; would have rolled back: ...",
               "evidence": {"trigger": "golden_all_hosts", "observed": {"hosts_serving": 1, "hosts_failing": 1}, "thresholds": {"failure_threshold": 3},
                            "signals": ["host a: version 2 golden failing for 3 consecutive probes: differs"], "observed_at": "2026-03-01T12:01:00+00:00"}},
              {"id": "d000001", "time": "2026-03-01T12:00:00+00:00", "model": "nan", "action": "rollback", "intended_action": null,
               "from_version": "2", "to_version": "1", "host": null, "status": "done", "outcome": "rolled back from 2 to 1; version 2 quarantined",
               "reason": "25 of 25 answers of version 2 ...",
               "evidence": {"trigger": "output_violations", "observed": {"violation_rate": 1, "attempts": 25}, "thresholds": {"violation_rate": 0.05, "min_samples": 20}, "signals": []}}
            ]}
            """);

        var text = Write(o => DecisionsCommand.WriteDecisions(o, response));

        Assert.Equal(
            "TIME                  ID       MODEL  ACTION              FROM  TO  HOST  STATUS\n" +
            "2026-03-01T12:01:00Z  d000002  wine   skipped (rollback)  2     1   -     done\n" +
            "2026-03-01T12:00:00Z  d000001  nan    rollback            2     1   -     done\n" +
            "\n" +
            "d000002: model is pinned to version 2 by alice, so automation leaves it alone; would have rolled back: ...\n" +
            "  evidence (golden_all_hosts): observed hosts_serving=1 hosts_failing=1; thresholds failure_threshold=3\n" +
            "    host a: version 2 golden failing for 3 consecutive probes: differs\n" +
            "\n" +
            "d000001: 25 of 25 answers of version 2 ...\n" +
            "  outcome: rolled back from 2 to 1; version 2 quarantined\n" +
            "  evidence (output_violations): observed violation_rate=1 attempts=25; thresholds violation_rate=0.05 min_samples=20\n",
            text);
    }

    [Fact]
    public void No_decisions_says_so()
    {
        Assert.Equal("no decisions\n", Write(o => DecisionsCommand.WriteDecisions(o, JsonNode.Parse("""{"decisions": []}"""))));
    }

    [Fact]
    public void Versions_add_prints_the_golden_set()
    {
        var response = JsonNode.Parse("""
            {"version": "2", "sha256": "41f5f174bd150cfab4", "size_bytes": 1670, "state": "staged",
             "contract": {"input": null, "output": {}},
             "golden": {"source": "golden file golden.json", "rows": 20, "outputs": ["probabilities", "label"], "tolerance": 0.0001, "relative_tolerance": 0}}
            """);

        var text = Write(o => VersionsCommands.WriteAdded(o, "wine", response, 1670));

        Assert.Equal(
            "added wine version 2 (sha256 41f5f174bd15..., 1670 bytes, staged)\n" +
            "contract: no reference data (output checks only)\n" +
            "golden: 20 rows from golden file golden.json (tolerance 0.0001)\n",
            text);
    }

    [Fact]
    public async Task Upload_with_a_golden_file_and_no_reference_is_multipart_with_file_and_golden()
    {
        using var multipart = VersionsCommands.BuildUpload(
            new ByteArrayContent([1]), "m.onnx", null, null, new ByteArrayContent("{}"u8.ToArray()), Path.Combine("dir", "golden.json"), "3", null, null);
        var body = await multipart.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Contains("Content-Disposition: form-data; name=file; filename=m.onnx", body);
        Assert.Contains("Content-Type: application/json", body);
        Assert.Contains("Content-Disposition: form-data; name=golden; filename=golden.json", body);
        Assert.DoesNotContain("name=reference", body);
        Assert.Contains("name=version", body);
    }

    [Theory]
    [InlineData(new[] { "pin", "wine" }, "error: Required argument missing for command: 'pin'.")]
    [InlineData(new[] { "unpin" }, "error: Required argument missing for command: 'unpin'.")]
    [InlineData(new[] { "decisions", "wine", "--limit", "0" }, "error: --limit must be a positive integer.")]
    [InlineData(new[] { "hosts", "extra" }, "error: Unrecognized command or argument 'extra'.")]
    public async Task Usage_errors_exit_2_without_contacting_the_server(string[] args, string message)
    {
        var result = await CliRunner.RunAsync([.. args, "--server", CliRunner.UnreachableServer()]);

        Assert.Equal((ExitCodes.Usage, ""), (result.ExitCode, result.Out));
        Assert.StartsWith(message, result.Error);
    }

    [Fact]
    public async Task An_empty_golden_file_is_a_usage_error()
    {
        var model = _temp.WriteBytes("m.onnx", [1, 2, 3]);
        var golden = _temp.Write("golden.json", "");

        var result = await CliRunner.RunAsync(["versions", "add", "wine", model, "--golden", golden, "--server", CliRunner.UnreachableServer()]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal($"error: golden file '{golden}' is empty: expected JSON with 'request' and 'expected'\n", result.Error);
    }

    [Theory]
    [InlineData(new[] { "hosts", "--help" }, new[] { "GET /api/v1/hosts", "--output" })]
    [InlineData(new[] { "decisions", "--help" }, new[] { "<MODEL>", "--limit", "GET /api/v1/decisions" })]
    [InlineData(new[] { "pin", "--help" }, new[] { "<MODEL>", "<VERSION>", "--reason" })]
    [InlineData(new[] { "unpin", "--help" }, new[] { "<MODEL>", "--reason" })]
    [InlineData(new[] { "versions", "add", "--help" }, new[] { "--golden", "samples/*/golden.json" })]
    public async Task Help_lists_the_arguments(string[] args, string[] expected)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        foreach (var text in expected)
        {
            Assert.Contains(text, result.Out);
        }
    }
}
