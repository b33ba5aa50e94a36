using System.Text.Json.Nodes;

namespace Fleet.Cli.Tests;

/// <summary><c>fleet --version</c>: the client's version and the server's, or why the server's is unknown.</summary>
public sealed class VersionTests
{
    private const string Server = "http://fleet.test:9000";

    private static StubServer Canned() => new(("/api/v1/status", """{"host": {"silo": "s", "version": "9.8.7+abc"}, "models": []}"""));

    [Fact]
    public async Task Prints_the_client_and_the_server_version()
    {
        using var server = Canned();

        var result = await CliRunner.RunAsync(["--version", "--server", Server], handler: server);

        Assert.Equal((ExitCodes.Ok, ""), (result.ExitCode, result.Error));
        Assert.Equal($"client: {FleetCli.Version}\nserver: 9.8.7+abc ({Server})\n", result.Out);
        Assert.StartsWith("0.1.0", FleetCli.Version);
        Assert.Equal(new Uri(Server + "/api/v1/status"), Assert.Single(server.Requests));
    }

    [Theory]
    [InlineData("before", new[] { "--output", "json", "--version" })]
    [InlineData("after", new[] { "--version", "-o", "json" })]
    public async Task Json_output_has_client_and_server(string position, string[] args)
    {
        using var server = Canned();

        var result = await CliRunner.RunAsync([.. args, "--server", Server], handler: server);

        Assert.True(result.ExitCode == ExitCodes.Ok, $"{position}: {result.Error}");
        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal(FleetCli.Version, (string)json["client"]!);
        Assert.Equal("9.8.7+abc", (string)json["server"]!);
        Assert.Null(json["server_error"]);
    }

    [Fact]
    public async Task An_unreachable_server_prints_the_client_version_and_exits_3()
    {
        var server = CliRunner.UnreachableServer();

        var result = await CliRunner.RunAsync(["--version", "--server", server]);

        Assert.Equal((ExitCodes.Unreachable, ""), (result.ExitCode, result.Error));
        var lines = result.Out.Split('\n');
        Assert.Equal($"client: {FleetCli.Version}", lines[0]);
        Assert.StartsWith("server: unreachable (Connection refused", lines[1]);
        Assert.EndsWith($") ({server})", lines[1]);
    }

    [Fact]
    public async Task An_unreachable_server_in_json_has_a_null_server_and_the_reason()
    {
        var server = CliRunner.UnreachableServer();

        var result = await CliRunner.RunAsync(["--version", "--output", "json", "--server", server]);

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal(FleetCli.Version, (string)json["client"]!);
        Assert.Null(json["server"]);
        Assert.StartsWith("unreachable (Connection refused", (string)json["server_error"]!);
    }

    [Fact]
    public async Task A_server_that_refuses_exits_1_with_its_message()
    {
        using var server = new StubServer();

        var result = await CliRunner.RunAsync(["--version", "--server", Server], handler: server);

        Assert.Equal(ExitCodes.ServerError, result.ExitCode);
        Assert.EndsWith($"server: error (no canned response for /api/v1/status, HTTP 404) ({Server})\n", result.Out);
    }

    [Fact]
    public async Task A_server_without_a_version_field_is_unknown()
    {
        using var server = new StubServer(("/api/v1/status", """{"host": {"silo": "s"}, "models": []}"""));

        var result = await CliRunner.RunAsync(["--version", "--server", Server], handler: server);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("server: unknown (GET /api/v1/status has no host.version", result.Out);
    }

    [Theory]
    [InlineData(new[] { "--version", "--output", "yaml" }, "error: Invalid value 'yaml' for --output")]
    [InlineData(new[] { "--version", "--server", "ftp://x" }, "error: invalid server URL 'ftp://x'")]
    [InlineData(new[] { "--version", "extra" }, "error: Unrecognized command or argument 'extra'")]
    public async Task Bad_options_with_version_are_usage_errors(string[] args, string message)
    {
        using var server = Canned();

        var result = await CliRunner.RunAsync(args, handler: server);

        Assert.Equal((ExitCodes.Usage, ""), (result.ExitCode, result.Out));
        Assert.StartsWith(message, result.Error);
        Assert.Empty(server.Requests);
    }
}
