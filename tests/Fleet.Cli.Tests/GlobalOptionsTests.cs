using System.Text.Json.Nodes;

namespace Fleet.Cli.Tests;

/// <summary><c>--server</c>, <c>--output</c>, <c>--token</c> and <c>--timeout</c> work before and after the subcommand.</summary>
public sealed class GlobalOptionsTests
{
    private const string Server = "http://fleet.test:9000";

    private static StubServer Canned() => new(
        ("/api/v1/models", """{"models": [{"name": "m", "task": "classification", "live_version": "1", "version_count": 1, "description": "d"}]}"""),
        ("/api/v1/models/m/versions", """{"versions": [{"version": "1", "state": "live"}]}"""),
        ("/api/v1/status", """{"host": {"silo": "s", "ready": true, "status": "healthy"}, "models": []}"""));

    public static TheoryData<string[], string[], string> Positions() => new()
    {
        // Global options before the subcommand ...
        { ["--server", Server, "--output", "json"], ["models", "list"], "/api/v1/models" },
        { ["--server", Server, "-o", "json"], ["versions", "list", "m"], "/api/v1/models/m/versions" },
        { ["--output", "json", "--server", Server], ["status"], "/api/v1/status" },
        // ... between a command and its subcommand ...
        { [], ["versions", "--output", "json", "--server", Server, "list", "m"], "/api/v1/models/m/versions" },
        // ... and after it.
        { [], ["models", "list", "--output", "json", "--server", Server], "/api/v1/models" },
        { [], ["versions", "list", "m", "--output", "json", "--server", Server], "/api/v1/models/m/versions" },
        { [], ["status", "-o", "json", "--server", Server], "/api/v1/status" },
    };

    [Theory]
    [MemberData(nameof(Positions))]
    public async Task Server_and_output_work_on_either_side_of_the_subcommand(string[] before, string[] command, string path)
    {
        using var server = Canned();

        var result = await CliRunner.RunAsync([.. before, .. command], handler: server);

        Assert.Equal((ExitCodes.Ok, ""), (result.ExitCode, result.Error));
        Assert.Equal(new Uri(Server + path), Assert.Single(server.Requests));
        Assert.IsType<JsonObject>(JsonNode.Parse(result.Out));
    }

    [Theory]
    [InlineData("before", new[] { "--token", "secret", "--timeout", "5", "versions", "list", "m" })]
    [InlineData("after", new[] { "versions", "list", "m", "--token", "secret", "--timeout", "5" })]
    public async Task Token_and_timeout_work_on_either_side_of_the_subcommand(string position, string[] args)
    {
        using var server = Canned();

        var result = await CliRunner.RunAsync([.. args, "--server", Server], handler: server);

        Assert.True(result.ExitCode == ExitCodes.Ok, $"{position}: {result.Error}");
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData("before", new[] { "--output", "yaml", "status" })]
    [InlineData("after", new[] { "status", "--output", "yaml" })]
    [InlineData("after a nested command", new[] { "versions", "list", "m", "-o", "yaml" })]
    public async Task A_bad_output_value_is_a_usage_error_in_either_position(string position, string[] args)
    {
        using var server = Canned();

        var result = await CliRunner.RunAsync([.. args, "--server", Server], handler: server);

        Assert.True(result.ExitCode == ExitCodes.Usage, position);
        Assert.StartsWith("error: Invalid value 'yaml' for --output: expected 'table' or 'json'.", result.Error);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Table_output_is_the_default_in_either_position()
    {
        using var server = Canned();

        var result = await CliRunner.RunAsync(["--server", Server, "models", "list"], handler: server);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.StartsWith("NAME", result.Out);
    }
}
