using System.Text.Json.Nodes;
using Fleet.Cli.Commands;

namespace Fleet.Cli.Tests;

/// <summary>
/// <c>fleet status</c> shows each loaded version's probe state; <c>fleet status</c> and <c>fleet hosts</c> exit 4 when
/// something is not healthy (a host degraded or unhealthy, a loaded version failing its probe), after printing everything (canned server JSON).
/// </summary>
public sealed class ProbeStateExitCodeTests
{
    private const string Server = "http://fleet.test:9000";

    private static string Status(string hostStatus, string liveProbe, string fallbackProbe = "passing", string reasons = "[]") => $$"""
        {"host": {"silo": "silo-a", "address": "10.0.0.1:11111@1", "version": "1.0.0+abc", "cluster_mode": "local", "execution_provider": "CPU",
                  "started_at": "2026-03-01T12:00:00+00:00", "ready": true, "status": "{{hostStatus}}", "reasons": {{reasons}}},
         "models": [
           {"name": "wine", "live_version": "2", "serving_version": "2", "fallback_version": "1", "loaded": [
             {"version": "2", "role": "live", "state": "loaded", "provider": "CPU", "error": null, "probe": "{{liveProbe}}"},
             {"version": "1", "role": "fallback", "state": "loaded", "provider": "CPU", "error": null, "probe": "{{fallbackProbe}}"}]},
           {"name": "vad", "live_version": "1", "serving_version": "1", "loaded": [
             {"version": "1", "role": "live", "state": "loaded", "provider": "CPU", "error": null, "probe": "no golden set yet"}]},
           {"name": "ocr", "live_version": "3", "serving_version": null, "loaded": [
             {"version": "3", "role": "live", "state": "failed", "provider": null, "error": "bad artifact", "probe": null}]},
           {"name": "idle", "live_version": null, "loaded": []}
         ]}
        """;

    private static string Write(Action<TextWriter> write)
    {
        using var output = new StringWriter();
        write(output);
        return output.ToString();
    }

    [Fact]
    public void Status_shows_each_version_with_its_role_and_probe_state_then_the_reasons()
    {
        var response = JsonNode.Parse(Status("unhealthy", "failing: golden probe: golden outputs differ (golden file): output 'label': 2 of 20 values differ",
            "never passed (not probed yet)", """["model 'wine' version '2' (live): golden probe failing (3 consecutive): output 'label': 2 of 20 values differ"]"""));

        var text = Write(o => StatusCommand.WriteClusterStatus(o, response));

        Assert.Equal(
            "host: silo-a status=unhealthy address=10.0.0.1:11111@1 cluster=local provider=CPU started=2026-03-01T12:00:00Z version=1.0.0+abc\n" +
            "  model 'wine' version '2' (live): golden probe failing (3 consecutive): output 'label': 2 of 20 values differ\n" +
            "\n" +
            "MODEL  LIVE  LOADED  ROLE      STATE   PROVIDER  PROBE              ERROR\n" +
            "wine   2     2       live      loaded  CPU       failing            -\n" +
            "wine   2     1       fallback  loaded  CPU       never passed       -\n" +
            "vad    1     1       live      loaded  CPU       no golden set yet  -\n" +
            "ocr    3     3       live      failed  -         -                  bad artifact\n" +
            "idle   -     -       -         -       -         -                  -\n" +
            "  wine:2: failing: golden probe: golden outputs differ (golden file): output 'label': 2 of 20 values differ\n" +
            "  wine:1: never passed (not probed yet)\n",
            text);
    }

    public static TheoryData<string, string, string, int> StatusCases() => new()
    {
        { "healthy", "passing", "passing", ExitCodes.Ok },
        // A degraded host (a failing last-known-good): the live answers are right, but the fallback would not be.
        { "degraded", "passing", "failing: golden probe: differs", ExitCodes.Degraded },
        { "healthy", "passing", "failing: golden probe: differs", ExitCodes.Degraded },
        { "healthy", "never passed (not probed yet)", "passing", ExitCodes.Ok },
        { "unhealthy", "passing", "passing", ExitCodes.Degraded },
        { "healthy", "failing: liveness probe: hung", "passing", ExitCodes.Degraded },
    };

    [Theory]
    [MemberData(nameof(StatusCases))]
    public async Task Status_exits_4_when_the_host_is_degraded_or_unhealthy_or_a_loaded_version_fails_its_probe(string host, string live, string fallback, int exit)
    {
        foreach (var output in new[] { "table", "json" })
        {
            using var server = new StubServer(("/api/v1/status", Status(host, live, fallback)));

            var result = await CliRunner.RunAsync(["status", "--output", output, "--server", Server], handler: server);

            Assert.Equal((exit, ""), (result.ExitCode, result.Error));
            if (output == "json")
            {
                Assert.Equal(live, (string)JsonNode.Parse(result.Out)!["models"]![0]!["loaded"]![0]!["probe"]!);
            }
            else
            {
                Assert.Contains("idle", result.Out); // printed in full
            }
        }
    }

    [Fact]
    public async Task Status_of_one_model_keeps_exit_0()
    {
        using var server = new StubServer(("/api/v1/models/wine", """{"name": "wine", "live_version": "2", "versions": [], "hosts": []}"""));

        var result = await CliRunner.RunAsync(["status", "wine", "--server", Server], handler: server);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
    }

    [Theory]
    [InlineData("healthy", "healthy", ExitCodes.Ok)]
    [InlineData("healthy", "degraded", ExitCodes.Degraded)]
    [InlineData("unhealthy", "healthy", ExitCodes.Degraded)]
    public async Task Hosts_exits_4_when_any_host_is_degraded_or_unhealthy(string a, string b, int exit)
    {
        var hosts = $$"""
            {"hosts": [{"id": "a", "status": "{{a}}", "reasons": [], "models": []}, {"id": "b", "status": "{{b}}", "reasons": ["slow"], "models": []}]}
            """;
        foreach (var output in new[] { "table", "json" })
        {
            using var server = new StubServer(("/api/v1/hosts", hosts));

            var result = await CliRunner.RunAsync(["hosts", "-o", output, "--server", Server], handler: server);

            Assert.Equal((exit, ""), (result.ExitCode, result.Error));
            Assert.Contains("\"b\"", output == "json" ? result.Out : "\"b\"");
            Assert.Contains(output == "json" ? b : $"b     {b}", result.Out);
        }
    }
}
