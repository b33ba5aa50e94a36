namespace Fleet.Cli.Tests;

/// <summary>
/// Usage errors exit 2 with a message on stderr and nothing on stdout. Every test points --server at a
/// port nothing listens on, so a command that wrongly contacted the server would exit 3 instead.
/// </summary>
public sealed class UsageErrorTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _server = CliRunner.UnreachableServer();

    public void Dispose() => _temp.Dispose();

    private async Task<CliResult> RunUsageErrorAsync(string[] args, string stdin = "", IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = await CliRunner.RunAsync([.. args, "--server", _server], environment, stdin);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.StartsWith("error: ", result.Error);
        Assert.DoesNotContain("cannot reach", result.Error);
        return result;
    }

    [Fact]
    public async Task No_command()
    {
        var result = await CliRunner.RunAsync([]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains("error: Required command was not provided.", result.Error);
        Assert.Contains("usage: fleet <command> [options]", result.Error);
        Assert.Contains("Run 'fleet --help'", result.Error);
    }

    [Fact]
    public async Task Unknown_command()
    {
        var result = await RunUsageErrorAsync(["frobnicate"]);

        Assert.Contains("error: Unrecognized command or argument 'frobnicate'.", result.Error);
        Assert.DoesNotContain("Required command was not provided", result.Error);
    }

    [Fact]
    public async Task Unknown_subcommand()
    {
        var result = await RunUsageErrorAsync(["models", "delete"]);

        Assert.Contains("Unrecognized command or argument 'delete'", result.Error);
        Assert.Contains("usage: fleet models <command> [options]", result.Error);
    }

    [Fact]
    public async Task Group_command_without_subcommand()
    {
        var result = await RunUsageErrorAsync(["versions"]);

        Assert.Contains("Required command was not provided", result.Error);
        Assert.Contains("usage: fleet versions <command> [options]", result.Error);
    }

    [Theory]
    [InlineData(new[] { "promote", "iris" }, "promote", "fleet promote <MODEL> <VERSION> [options]")]
    [InlineData(new[] { "retire" }, "retire", "fleet retire <MODEL> <VERSION> [options]")]
    [InlineData(new[] { "quarantine", "iris" }, "quarantine", "fleet quarantine <MODEL> <VERSION> [options]")]
    [InlineData(new[] { "rollback" }, "rollback", "fleet rollback <MODEL> [options]")]
    [InlineData(new[] { "audit" }, "audit", "fleet audit <MODEL> [options]")]
    [InlineData(new[] { "versions", "add", "iris" }, "add", "fleet versions add <MODEL> <FILE> [options]")]
    [InlineData(new[] { "versions", "list" }, "list", "fleet versions list <MODEL> [options]")]
    [InlineData(new[] { "contract", "show", "iris" }, "show", "fleet contract show <MODEL> <VERSION> [options]")]
    [InlineData(new[] { "contract", "set", "iris", "v1" }, "set", "fleet contract set <MODEL> <VERSION> <FILE> [options]")]
    [InlineData(new[] { "config", "show" }, "show", "fleet config show <MODEL> [options]")]
    [InlineData(new[] { "config", "set", "iris" }, "set", "fleet config set <MODEL> <KEY=VALUE> [options]")]
    [InlineData(new[] { "stats" }, "stats", "fleet stats <MODEL> [options]")]
    [InlineData(new[] { "models", "register", "--task", "other" }, "register", "fleet models register <NAME> [options]")]
    public async Task Missing_argument(string[] args, string command, string usage)
    {
        var result = await RunUsageErrorAsync(args);

        Assert.Contains($"error: Required argument missing for command: '{command}'.", result.Error);
        Assert.Contains($"usage: {usage}", result.Error);
    }

    [Fact]
    public async Task Too_many_arguments()
    {
        var result = await RunUsageErrorAsync(["status", "iris", "extra"]);

        Assert.Contains("Unrecognized command or argument 'extra'", result.Error);
    }

    [Fact]
    public async Task Missing_required_task_option()
    {
        var result = await RunUsageErrorAsync(["models", "register", "iris"]);

        Assert.Contains("error: Option '--task' is required.", result.Error);
    }

    [Fact]
    public async Task Invalid_task_value()
    {
        var result = await RunUsageErrorAsync(["models", "register", "iris", "--task", "clustering"]);

        Assert.Contains("Invalid value 'clustering' for --task: expected one of classification, regression, embedding, other.", result.Error);
    }

    [Fact]
    public async Task Missing_infer_input_option()
    {
        var result = await RunUsageErrorAsync(["infer", "iris"]);

        Assert.Contains("error: Option '--input' is required.", result.Error);
    }

    [Theory]
    [InlineData("xml")]
    [InlineData("yaml")]
    [InlineData("")]
    public async Task Bad_output_value(string value)
    {
        var result = await RunUsageErrorAsync(["models", "list", "--output", value]);

        Assert.Contains($"Invalid value '{value}' for --output: expected 'table' or 'json'.", result.Error);
    }

    [Fact]
    public async Task Bad_output_value_before_the_command()
    {
        var result = await RunUsageErrorAsync(["-o", "csv", "status"]);

        Assert.Contains("Invalid value 'csv' for --output", result.Error);
    }

    [Theory]
    [InlineData("-1", "Invalid value '-1' for --timeout")]
    [InlineData("soon", "'soon'")]
    public async Task Bad_timeout_value(string value, string expected)
    {
        var result = await RunUsageErrorAsync(["models", "list", "--timeout", value]);

        Assert.Contains(expected, result.Error);
        Assert.Contains("--timeout", result.Error);
    }

    [Theory]
    [InlineData("ftp://example.com")]
    [InlineData("not a url")]
    [InlineData("127.0.0.1:8080")]
    public async Task Bad_server_url(string url)
    {
        var result = await CliRunner.RunAsync(["models", "list", "--server", url]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains($"error: invalid server URL '{url}' (from --server)", result.Error);
    }

    [Fact]
    public async Task Bad_server_url_from_environment()
    {
        var environment = new Dictionary<string, string> { ["FLEET_SERVER"] = "gopher://fleet" };

        var result = await CliRunner.RunAsync(["status"], environment);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("error: invalid server URL 'gopher://fleet' (from FLEET_SERVER)", result.Error);
    }

    [Fact]
    public async Task Versions_add_with_missing_file()
    {
        var missing = Path.Combine(_temp.Path, "missing.onnx");

        var result = await RunUsageErrorAsync(["versions", "add", "iris", missing]);

        Assert.Equal($"error: cannot read file '{missing}': file not found\n", result.Error);
    }

    [Fact]
    public async Task Versions_add_with_a_directory()
    {
        var result = await RunUsageErrorAsync(["versions", "add", "iris", _temp.Path]);

        Assert.Contains($"error: cannot read file '{_temp.Path}': it is a directory", result.Error);
    }

    [Fact]
    public async Task Infer_with_missing_input_file()
    {
        var missing = Path.Combine(_temp.Path, "request.json");

        var result = await RunUsageErrorAsync(["infer", "iris", "--input", missing]);

        Assert.Contains($"error: cannot read file '{missing}': file not found", result.Error);
    }

    [Theory]
    [InlineData("{\"inputs\": [")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task Infer_with_invalid_json_file(string content)
    {
        var file = _temp.Write("request.json", content);

        var result = await RunUsageErrorAsync(["infer", "iris", "--input", file]);

        Assert.Contains($"error: invalid JSON in '{file}': ", result.Error);
    }

    [Fact]
    public async Task Infer_with_json_that_is_not_an_object()
    {
        var file = _temp.Write("request.json", "[1, 2, 3]");

        var result = await RunUsageErrorAsync(["infer", "iris", "--input", file]);

        Assert.Contains($"error: invalid JSON in '{file}': expected an object", result.Error);
    }

    [Fact]
    public async Task Infer_with_invalid_json_on_stdin()
    {
        var result = await RunUsageErrorAsync(["infer", "iris", "--input", "-"], stdin: "{\"inputs\": ");

        Assert.Contains("error: invalid JSON in standard input: ", result.Error);
    }

    [Fact]
    public async Task Label_column_without_reference()
    {
        var file = _temp.WriteBytes("model.onnx", [1, 2, 3]);

        var result = await RunUsageErrorAsync(["versions", "add", "iris", file, "--label-column", "target"]);

        Assert.Contains("error: --label-column requires --reference.", result.Error);
        Assert.Contains("usage: fleet versions add <MODEL> <FILE> [options]", result.Error);
    }

    [Fact]
    public async Task Versions_add_with_missing_reference_file()
    {
        var file = _temp.WriteBytes("model.onnx", [1, 2, 3]);
        var missing = Path.Combine(_temp.Path, "reference.csv");

        var result = await RunUsageErrorAsync(["versions", "add", "iris", file, "--reference", missing, "--label-column", "y"]);

        Assert.Equal($"error: cannot read file '{missing}': file not found\n", result.Error);
    }

    [Fact]
    public async Task Versions_add_with_empty_reference_file()
    {
        var file = _temp.WriteBytes("model.onnx", [1, 2, 3]);
        var reference = _temp.Write("reference.csv", "");

        var result = await RunUsageErrorAsync(["versions", "add", "iris", file, "--reference", reference]);

        Assert.Contains($"error: reference file '{reference}' is empty", result.Error);
    }

    [Fact]
    public async Task Versions_add_checks_the_model_file_before_the_reference()
    {
        var missing = Path.Combine(_temp.Path, "missing.onnx");
        var reference = _temp.Write("reference.csv", "a,b\n1,2\n");

        var result = await RunUsageErrorAsync(["versions", "add", "iris", missing, "--reference", reference]);

        Assert.Contains($"error: cannot read file '{missing}': file not found", result.Error);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("m")]
    [InlineData("5x")]
    [InlineData("5M")]
    [InlineData("1.5h")]
    [InlineData("-5m")]
    [InlineData("5m ")]
    [InlineData("5 m")]
    [InlineData("")]
    public async Task Stats_with_bad_window(string window)
    {
        var result = await RunUsageErrorAsync(["stats", "iris", "--window", window]);

        Assert.Contains($"Invalid value '{window}' for --window: expected a number followed by s, m, h or d", result.Error);
        Assert.Contains("usage: fleet stats <MODEL> [options]", result.Error);
    }

    [Theory]
    [InlineData("input_contract", "error: Invalid setting 'input_contract': expected KEY=VALUE.")]
    [InlineData("=reject", "error: Invalid setting '=reject': the key is empty (expected KEY=VALUE).")]
    [InlineData(" =reject", "error: Invalid setting ' =reject': the key is empty (expected KEY=VALUE).")]
    public async Task Config_set_with_a_bad_setting(string setting, string expected)
    {
        var result = await RunUsageErrorAsync(["config", "set", "iris", "fallback=error", setting]);

        Assert.Contains(expected, result.Error);
        Assert.Contains("usage: fleet config set <MODEL> <KEY=VALUE> [options]", result.Error);
    }

    [Fact]
    public async Task Config_set_with_a_key_given_twice()
    {
        var result = await RunUsageErrorAsync(["config", "set", "iris", "fallback=error", "fallback=default"]);

        Assert.Contains("error: Invalid setting 'fallback=default': the key is given more than once.", result.Error);
    }

    [Theory]
    [InlineData("{\"input\": ")]
    [InlineData("input: null")]
    [InlineData("")]
    public async Task Contract_set_with_invalid_json(string content)
    {
        var file = _temp.Write("contract.json", content);

        var result = await RunUsageErrorAsync(["contract", "set", "iris", "v1", file]);

        Assert.Contains($"error: invalid JSON in '{file}': ", result.Error);
    }

    [Fact]
    public async Task Contract_set_with_json_that_is_not_an_object()
    {
        var file = _temp.Write("contract.json", "[]");

        var result = await RunUsageErrorAsync(["contract", "set", "iris", "v1", file]);

        Assert.Contains($"error: invalid JSON in '{file}': expected an object (a contract with \"input\" and \"output\")", result.Error);
    }

    [Fact]
    public async Task Contract_set_with_missing_file()
    {
        var missing = Path.Combine(_temp.Path, "contract.json");

        var result = await RunUsageErrorAsync(["contract", "set", "iris", "v1", missing]);

        Assert.Equal($"error: cannot read file '{missing}': file not found\n", result.Error);
    }

    [Fact]
    public async Task Contract_set_with_invalid_json_on_stdin()
    {
        var result = await RunUsageErrorAsync(["contract", "set", "iris", "v1", "-"], stdin: "{");

        Assert.Contains("error: invalid JSON in standard input: ", result.Error);
    }
}
