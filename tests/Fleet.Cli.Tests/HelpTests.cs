namespace Fleet.Cli.Tests;

public sealed class HelpTests
{
    [Fact]
    public async Task Help_exits_0_and_lists_every_command()
    {
        var result = await CliRunner.RunAsync(["--help"]);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.Contains("Usage:", result.Out);
        Assert.Contains("fleet [command] [options]", result.Out);
        foreach (var command in new[] { "models", "versions", "contract", "config", "promote", "rollback", "retire", "quarantine", "audit", "status", "stats", "infer" })
        {
            Assert.Contains($"\n  {command} ", result.Out);
        }

        foreach (var option in new[] { "--server", "--output", "--token", "--timeout" })
        {
            Assert.Contains(option, result.Out);
        }
    }

    [Fact]
    public async Task Help_documents_exit_codes_and_environment()
    {
        var result = await CliRunner.RunAsync(["-h"]);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("Exit codes:", result.Out);
        Assert.Contains("0    success", result.Out);
        Assert.Contains("1    the server refused the request", result.Out);
        Assert.Contains("2    usage error", result.Out);
        Assert.Contains("3    server unreachable", result.Out);
        Assert.Contains("4    degraded", result.Out);
        Assert.Contains("130  interrupted", result.Out);
        Assert.Contains("FLEET_SERVER", result.Out);
        Assert.Contains("FLEET_TOKEN", result.Out);
    }

    [Theory]
    [InlineData(new[] { "models", "--help" }, new[] { "list", "register" })]
    [InlineData(new[] { "models", "register", "--help" }, new[] { "<NAME>", "--task", "classification|regression|embedding|other", "--description" })]
    [InlineData(new[] { "versions", "add", "--help" }, new[] { "<MODEL>", "<FILE>", "--version", "--note", "--server" })]
    [InlineData(new[] { "versions", "--help" }, new[] { "add", "list" })]
    [InlineData(new[] { "rollback", "--help" }, new[] { "--to", "--reason", "--quarantine" })]
    [InlineData(new[] { "infer", "--help" }, new[] { "--input", "--version" })]
    [InlineData(new[] { "status", "--help" }, new[] { "<MODEL>", "Exit codes:" })]
    [InlineData(new[] { "versions", "add", "--help" }, new[] { "--reference", "--label-column", "JSON lines" })]
    [InlineData(new[] { "contract", "--help" }, new[] { "show", "set" })]
    [InlineData(new[] { "contract", "show", "--help" }, new[] { "fleet contract show <MODEL> <VERSION> [options]", "--output" })]
    [InlineData(new[] { "contract", "set", "--help" }, new[] { "fleet contract set <MODEL> <VERSION> <FILE> [options]", "PUT" })]
    [InlineData(new[] { "config", "--help" }, new[] { "show", "set" })]
    [InlineData(new[] { "config", "set", "--help" }, new[] { "<KEY=VALUE>...", "input_contract", "fallback_default", "PATCH" })]
    [InlineData(new[] { "stats", "--help" }, new[] { "<MODEL>", "--version", "--window", "[default: 5m]" })]
    public async Task Subcommand_help_exits_0_and_lists_its_arguments(string[] args, string[] expected)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal("", result.Error);
        foreach (var text in expected)
        {
            Assert.Contains(text, result.Out);
        }
    }

    [Fact]
    public async Task Help_wins_over_missing_arguments()
    {
        var result = await CliRunner.RunAsync(["promote", "--help"]);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("fleet promote <MODEL> <VERSION> [options]", result.Out);
        Assert.Equal("", result.Error);
    }

}
