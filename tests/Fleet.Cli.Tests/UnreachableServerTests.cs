using System.Net;
using System.Net.Sockets;

namespace Fleet.Cli.Tests;

/// <summary>Every command that talks to the server exits 3 with "cannot reach" when nothing listens.</summary>
public sealed class UnreachableServerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string[]> ServerCommands() => new()
    {
        new[] { "models", "list" },
        new[] { "models", "register", "iris", "--task", "classification", "--description", "Iris flowers" },
        new[] { "versions", "list", "iris" },
        new[] { "promote", "iris", "v2", "--reason", "better" },
        new[] { "rollback", "iris", "--to", "v1", "--quarantine" },
        new[] { "retire", "iris", "v1" },
        new[] { "quarantine", "iris", "v1", "--reason", "bad" },
        new[] { "audit", "iris" },
        new[] { "status" },
        new[] { "status", "iris" },
        new[] { "contract", "show", "iris", "v1" },
        new[] { "config", "show", "iris" },
        new[] { "config", "set", "iris", "input_contract=reject", "fallback=last-known-good,error", "fallback_default={\"label\":[0]}" },
        new[] { "stats", "iris" },
        new[] { "stats", "iris", "--version", "v 2", "--window", "36h", "-o", "json" },
    };

    [Theory]
    [MemberData(nameof(ServerCommands))]
    public async Task Command_exits_3_when_the_server_refuses_connections(string[] args)
    {
        var server = CliRunner.UnreachableServer();

        var result = await CliRunner.RunAsync([.. args, "--server", server]);

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.StartsWith($"error: cannot reach Fleet server at {server}: ", result.Error);
        Assert.Contains("Connection refused", result.Error);
    }

    [Fact]
    public async Task Json_output_keeps_stdout_empty_on_failure()
    {
        var server = CliRunner.UnreachableServer();

        var result = await CliRunner.RunAsync(["models", "list", "--output", "json", "--server", server]);

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.StartsWith($"error: cannot reach Fleet server at {server}: ", result.Error);
    }

    [Fact]
    public async Task Versions_add_reads_the_file_then_fails_to_connect()
    {
        var file = _temp.WriteBytes("model.onnx", [1, 2, 3, 4]);
        var server = CliRunner.UnreachableServer();

        var result = await CliRunner.RunAsync(["versions", "add", "iris", file, "--version", "v 2", "--note", "a&b", "--server", server]);

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.StartsWith($"error: cannot reach Fleet server at {server}: ", result.Error);
    }

    [Theory]
    [InlineData("reference.csv", "a,b,label\n1,2,0\n")]
    [InlineData("reference.jsonl", "{\"a\": 1, \"b\": 2, \"label\": 0}\n")]
    public async Task Versions_add_with_reference_data_reads_both_files_then_fails_to_connect(string name, string content)
    {
        var file = _temp.WriteBytes("model.onnx", [1, 2, 3, 4]);
        var reference = _temp.Write(name, content);
        var server = CliRunner.UnreachableServer();

        var result = await CliRunner.RunAsync(
            ["versions", "add", "iris", file, "--reference", reference, "--label-column", "label", "--note", "n", "--server", server]);

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.StartsWith($"error: cannot reach Fleet server at {server}: ", result.Error);
    }

    [Fact]
    public async Task Contract_set_reads_the_file_then_fails_to_connect()
    {
        var file = _temp.Write("contract.json", """{"input": null, "output": {"outputs": []}}""");
        var server = CliRunner.UnreachableServer();

        var result = await CliRunner.RunAsync(["contract", "set", "iris", "v1", file, "--server", server]);

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.StartsWith($"error: cannot reach Fleet server at {server}: ", result.Error);
    }

    [Fact]
    public async Task Contract_set_reads_stdin_then_fails_to_connect()
    {
        var server = CliRunner.UnreachableServer();

        var result = await CliRunner.RunAsync(["contract", "set", "iris", "v1", "-", "--server", server], stdin: """{"input": null}""");

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.StartsWith($"error: cannot reach Fleet server at {server}: ", result.Error);
    }

    [Fact]
    public async Task Infer_reads_the_request_then_fails_to_connect()
    {
        var file = _temp.Write("request.json", """{"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 2], "data": [1, 2]}]}""");
        var server = CliRunner.UnreachableServer();

        var result = await CliRunner.RunAsync(["infer", "iris", "--input", file, "--version", "v1", "--server", server]);

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.StartsWith($"error: cannot reach Fleet server at {server}: ", result.Error);
    }

    [Fact]
    public async Task Infer_reads_the_request_from_stdin()
    {
        var server = CliRunner.UnreachableServer();

        var result = await CliRunner.RunAsync(["infer", "iris", "-i", "-", "--server", server], stdin: """{"inputs": []}""");

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.StartsWith($"error: cannot reach Fleet server at {server}: ", result.Error);
    }

    [Fact]
    public async Task Fleet_server_environment_variable_is_used()
    {
        var server = CliRunner.UnreachableServer();
        var environment = new Dictionary<string, string> { ["FLEET_SERVER"] = server };

        var result = await CliRunner.RunAsync(["models", "list"], environment);

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.StartsWith($"error: cannot reach Fleet server at {server}: ", result.Error);
    }

    [Fact]
    public async Task Server_option_overrides_the_environment_variable()
    {
        var fromEnvironment = CliRunner.UnreachableServer();
        var fromOption = CliRunner.UnreachableServer();
        var environment = new Dictionary<string, string> { ["FLEET_SERVER"] = fromEnvironment };

        var result = await CliRunner.RunAsync(["status", "--server", fromOption], environment);

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.StartsWith($"error: cannot reach Fleet server at {fromOption}: ", result.Error);
        if (fromOption != fromEnvironment)
        {
            Assert.DoesNotContain(fromEnvironment, result.Error);
        }
    }

    [Fact]
    public async Task Server_option_may_come_before_the_command_and_end_with_a_slash()
    {
        var server = CliRunner.UnreachableServer();

        var result = await CliRunner.RunAsync(["--server", server + "/", "audit", "iris"]);

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.StartsWith($"error: cannot reach Fleet server at {server}: ", result.Error);
    }

    [Fact]
    public async Task Unresolvable_host_exits_3()
    {
        // .invalid is reserved (RFC 2606): resolution always fails, without leaving the machine for long.
        var result = await CliRunner.RunAsync(["status", "--server", "http://fleet.invalid:8080", "--timeout", "20"]);

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.StartsWith("error: cannot reach Fleet server at http://fleet.invalid:8080: ", result.Error);
    }

    [Fact]
    public async Task Server_that_accepts_but_never_answers_times_out_with_exit_3()
    {
        // A listening socket that is never accepted from: the kernel completes the TCP handshake,
        // the request is sent, and no response ever comes.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        var server = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}";

        var result = await CliRunner.RunAsync(["models", "list", "--server", server, "--timeout", "0.3"]);

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal($"error: cannot reach Fleet server at {server}: no response within 0.3 s (timed out; see --timeout)\n", result.Error);
    }
}
