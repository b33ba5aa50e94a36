using System.Text.Json.Nodes;
using Fleet.Cli;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Cli;

/// <summary>The fleet CLI against a real embedded server over HTTP, as a deployment script would run it.</summary>
[Collection(ServerCollection.Name)]
[Trait(Speed.Trait, Speed.Server)]
public sealed class CliEndToEndTests(ServerFixture fixture)
{
    private async Task<(int Exit, string Out, string Error)> Fleet(params string[] args) => await Run(null, args);

    private Task<(int Exit, string Out, string Error)> Run(string? token, params string[] args) => FleetCommand.RunAsync(fixture.Server, token, args);

    [Fact]
    public async Task A_deployment_script_registers_uploads_promotes_rolls_back_and_infers()
    {
        var name = Names.Model("cli");

        var register = await Fleet("models", "register", name, "--task", "classification", "--description", "from the cli");
        Assert.Equal((0, ""), (register.Exit, register.Error));
        Assert.Contains($"registered model {name}", register.Out);

        var add1 = await Fleet("versions", "add", name, Repo.Sample("wine", "model.onnx"), "--version", "1", "--note", "first", "--golden", Repo.Sample("wine", "golden.json"));
        Assert.Equal(0, add1.Exit);
        Assert.Contains($"added {name} version 1 (sha256 ", add1.Out);
        var add2 = await Fleet("versions", "add", name, Repo.Sample("testing", "wine-v2.onnx"), "--output", "json");
        Assert.Equal(0, add2.Exit);
        Assert.Equal("2", (string)JsonNode.Parse(add2.Out)!["version"]!);

        Assert.Equal(0, (await Fleet("promote", name, "1")).Exit);
        var promote = await Fleet("promote", name, "2", "--reason", "better");
        Assert.Equal(0, promote.Exit);
        Assert.Contains($"{name}: 2 is live (was 1)", promote.Out);

        var rollback = await Fleet("rollback", name, "--reason", "regression", "--output", "json");
        Assert.Equal(0, rollback.Exit);
        var change = JsonNode.Parse(rollback.Out)!;
        Assert.Equal(("1", "2"), ((string)change["live_version"]!, (string)change["previous_live_version"]!));

        await fixture.Server.WaitServingAsync(name, "1");
        var infer = await Fleet("infer", name, "--input", Repo.Sample("wine", "request.json"), "--output", "json");
        Assert.Equal(0, infer.Exit);
        Assert.Equal("1", (string)JsonNode.Parse(infer.Out)!["model_version"]!);

        var versions = await Fleet("versions", "list", name, "--output", "json");
        Assert.Equal(["live", "retired"], JsonNode.Parse(versions.Out)!["versions"]!.AsArray().Select(v => (string)v!["state"]!).ToArray());

        var status = await Fleet("status", name, "--output", "json");
        Assert.Equal("1", (string)JsonNode.Parse(status.Out)!["live_version"]!);

        var audit = await Fleet("audit", name, "--output", "json");
        var entries = JsonNode.Parse(audit.Out)!["entries"]!.AsArray();
        Assert.Equal("rollback", (string)entries[^1]!["action"]!);
        Assert.Equal("anonymous (Fleet-Actor: ci-bot)", (string)entries[^1]!["actor"]!);

        var list = await Fleet("models", "list");
        Assert.Equal(0, list.Exit);
        Assert.Contains(name, list.Out);
        Assert.Contains("wine", list.Out);
    }

    [Fact]
    public async Task Contracts_config_and_stats_from_the_cli()
    {
        var name = Names.Model("clig");
        Assert.Equal(0, (await Fleet("models", "register", name, "--task", "classification")).Exit);
        var add = await Fleet("versions", "add", name, Repo.Sample("wine", "model.onnx"), "--version", "1", "--reference", Repo.Sample("wine", "reference_labeled.csv"), "--label-column", "target");
        Assert.Equal(0, add.Exit);
        Assert.Contains("contract: 13 features from reference (input 'input')", add.Out);
        Assert.Equal(0, (await Fleet("promote", name, "1")).Exit);

        var contract = await Fleet("contract", "show", name, "1", "--output", "json");
        Assert.Equal(0, contract.Exit);
        var node = JsonNode.Parse(contract.Out)!;
        Assert.Equal(13, node["input"]!["features"]!.AsArray().Count);
        node["input"]!["features"]![0]!["max"] = 20.0;
        var file = Path.Combine(Path.GetTempPath(), $"{name}-contract.json");
        await File.WriteAllTextAsync(file, node.ToJsonString());
        var set = await Fleet("contract", "set", name, "1", file);
        File.Delete(file);
        Assert.Equal((0, ""), (set.Exit, set.Error));

        var config = await Fleet("config", "set", name, "input_contract=reject", "fallback=last-known-good,error", "--output", "json");
        Assert.Equal(0, config.Exit);
        Assert.Equal("reject", (string)JsonNode.Parse(config.Out)!["input_contract"]!);
        var bad = await Fleet("config", "set", name, "input_contract=maybe");
        Assert.Equal(1, bad.Exit);
        Assert.Contains("input_contract: 'maybe' is not one of reject, flag, off", bad.Error);
        var shown = await Fleet("config", "show", name, "--output", "json");
        Assert.Equal("[\"last-known-good\",\"error\"]", JsonNode.Parse(shown.Out)!["fallback"]!.ToJsonString());

        await fixture.Server.WaitServingAsync(name, "1");
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(0, (await Fleet("infer", name, "--input", Repo.Sample("wine", "request.json"))).Exit);
        }

        JsonNode? stats = null;
        await Poll.UntilAsync(async () =>
        {
            var result = await Fleet("stats", name, "--window", "5m", "--output", "json");
            stats = result.Exit == 0 ? JsonNode.Parse(result.Out) : null;
            return stats is not null && (long)stats["requests"]! == 4;
        }, TimeSpan.FromSeconds(30), "4 requests in the stats");
        Assert.Equal(12, (long)stats!["rows"]!);
        var table = await Fleet("stats", name, "--version", "1");
        Assert.Equal(0, table.Exit);
        Assert.Contains("4 requests", table.Out);
    }

    [Fact]
    public async Task Server_refusals_exit_1_with_the_server_message_on_stderr()
    {
        var result = await Fleet("promote", "wine", "99");

        Assert.Equal(1, result.Exit);
        Assert.Equal("", result.Out);
        Assert.Contains("error: version: model 'wine' has no version '99' (HTTP 404)", result.Error);
    }

    [Fact]
    public async Task The_promotion_gate_from_a_deployment_script_refuses_with_the_numbers_and_force_needs_a_reason()
    {
        var name = Names.Model("cligate");
        var reference = Repo.Sample("breast-cancer", "reference_labeled.csv");
        Assert.Equal(0, (await Fleet("models", "register", name, "--task", "classification")).Exit);
        Assert.Equal(0, (await Fleet("versions", "add", name, Repo.Sample("breast-cancer", "model.onnx"), "--version", "1", "--reference", reference, "--label-column", "target")).Exit);
        var first = await Fleet("promote", name, "1");
        Assert.Equal(0, first.Exit);
        Assert.Contains("  evidence: accuracy 0.988 on 426 labelled reference rows (0.958-0.997 at 99.9%), F1 0.991; no live version to compare with", first.Out);

        var add = await Fleet("versions", "add", name, Repo.Sample("testing", "breast-cancer-inverted.onnx"), "--version", "2", "--reference", reference, "--label-column", "target");
        Assert.Equal(0, add.Exit);
        const string Refusal = "clearly worse than live version '1' on the same 426 labelled rows: accuracy 0.012 against 0.988, a drop of 0.977 (tolerance 0.05), at least 0.917 at 99.9% (paired)";
        Assert.Contains($"promotion: refused: {Refusal}", add.Out);
        Assert.Contains($"promotion: refused: {Refusal}", (await Fleet("versions", "show", name, "2")).Out);

        var refused = await Fleet("promote", name, "2", "--reason", "ship");
        Assert.Equal((1, ""), (refused.Exit, refused.Out));
        Assert.Contains($"error: promotion refused: version '2' of model '{name}' is {Refusal}; promote with force and a reason to override (HTTP 409)", refused.Error);
        var noReason = await Fleet("promote", name, "2", "--force");
        Assert.Equal(2, noReason.Exit);
        Assert.Contains("--force needs --reason", noReason.Error);

        var forced = await Fleet("promote", name, "2", "--force", "--reason", "drill");
        Assert.Equal(0, forced.Exit);
        Assert.Contains($"{name}: 2 is live (was 1)", forced.Out);
        var audit = JsonNode.Parse((await Fleet("audit", name, "--output", "json")).Out)!["entries"]!.AsArray();
        Assert.Equal(("promote+forced", $"drill (forced past the promotion gate: {Refusal})"), ((string)audit[^1]!["action"]!, (string)audit[^1]!["reason"]!));

        // The shared server stays clean: a wrong version left live fails its probes and makes the server unready.
        // (The coordinator may have rolled it back already on its probes: then this rollback is refused, and that is fine.)
        await Fleet("rollback", name, "--quarantine", "--reason", "test done");
        await fixture.Server.WaitServingAsync(name, "1");
    }

    [Fact]
    public async Task Host_status_lists_the_loaded_samples_with_their_probe_state()
    {
        // The sample has a golden set: once probed it passes (other tests' models on this server may not, hence no exit 0 here).
        await Poll.UntilAsync(async () => Live(await fixture.Server.GetJsonAsync("api/v1/status"), "breast-cancer")?["probe"]?.GetValue<string>() == "passing",
            TimeSpan.FromSeconds(30), "breast-cancer probed and passing");

        var result = await Fleet("status", "--output", "json");

        var status = JsonNode.Parse(result.Out)!;
        Assert.Equal("CPU", (string)status["host"]!["execution_provider"]!);
        Assert.Contains(status["models"]!.AsArray(), m => (string)m!["name"]! == "breast-cancer" && (string)m["serving_version"]! == "1");
        var live = Live(status, "breast-cancer")!;
        Assert.Equal(("1", "passing"), ((string)live["version"]!, (string)live["probe"]!));
        Assert.False(string.IsNullOrEmpty((string?)live["golden"]));
        var failing = status["models"]!.AsArray().SelectMany(m => m!["loaded"]!.AsArray())
            .Any(l => ((string?)l!["probe"])?.StartsWith("failing", StringComparison.Ordinal) == true);
        Assert.Equal(failing || (string)status["host"]!["status"]! != "healthy" ? ExitCodes.Degraded : ExitCodes.Ok, result.Exit);

        var table = await Fleet("status");
        Assert.Matches(@"\nbreast-cancer +1 +1 +live +loaded +CPU +passing", table.Out);
    }

    [Fact]
    public async Task Version_shows_the_client_and_the_server()
    {
        var result = await Fleet("--version", "--output", "json");

        Assert.Equal(ExitCodes.Ok, result.Exit);
        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal(FleetCli.Version, (string)json["client"]!);
        Assert.Equal((string)(await fixture.Server.GetJsonAsync("api/v1/status"))["host"]!["version"]!, (string)json["server"]!);
        Assert.False(string.IsNullOrEmpty((string?)json["server"]));
    }

    private static JsonNode? Live(JsonNode status, string model) =>
        status["models"]!.AsArray().SingleOrDefault(m => (string)m!["name"]! == model)?["loaded"]!.AsArray()
            .FirstOrDefault(l => (string?)l!["role"] == "live");
}
