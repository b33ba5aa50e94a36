namespace Fleet.Cli.Tests;

/// <summary>
/// fleet feedback / export / drift / retrain usage errors: exit 2 naming the file, line or option, before any
/// request (the server address is unreachable, so contacting it would exit 3).
/// </summary>
public sealed class MonitoringUsageTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _server = CliRunner.UnreachableServer();

    public void Dispose() => _temp.Dispose();

    private async Task<string> UsageErrorAsync(params string[] args)
    {
        var result = await CliRunner.RunAsync([.. args, "--server", _server]);
        Assert.Equal((ExitCodes.Usage, ""), (result.ExitCode, result.Out));
        return result.Error;
    }

    private string File(string name, string text)
    {
        var path = Path.Combine(_temp.Path, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Feedback_csv_needs_an_id_and_label_header()
    {
        var path = File("labels.csv", "prediction,truth\na,1\n");
        Assert.Contains($"'{path}': the first line must be a CSV header with columns id and label (got 'prediction,truth')", await UsageErrorAsync("feedback", "m", path));
    }

    [Fact]
    public async Task Feedback_names_the_line_with_a_bad_label()
    {
        var path = File("labels.csv", "id,label\na,1\nb,malignant\n");
        Assert.Contains($"'{path}' line 3: label 'malignant' is not a number (classifiers: the class index)", await UsageErrorAsync("feedback", "m", path));
    }

    [Fact]
    public async Task Feedback_json_lines_name_the_bad_line()
    {
        var path = File("labels.jsonl", "{\"id\": \"a\", \"label\": 1}\n{\"id\": \"b\"}\n");
        Assert.Contains($"'{path}' line 2: expected {{\"id\": \"...\", \"label\": ...}}", await UsageErrorAsync("feedback", "m", path));
    }

    [Fact]
    public async Task Feedback_refuses_an_empty_file_and_a_missing_one()
    {
        var empty = File("empty.csv", "id,label\n");
        Assert.Contains($"'{empty}': no labels found", await UsageErrorAsync("feedback", "m", empty));
        Assert.Contains("file not found", await UsageErrorAsync("feedback", "m", Path.Combine(_temp.Path, "nope.csv")));
    }

    [Fact]
    public async Task Export_needs_out_and_a_valid_since()
    {
        Assert.Contains("--out", await UsageErrorAsync("export", "m"));
        Assert.Contains("Invalid value '3 hours' for --since", await UsageErrorAsync("export", "m", "--out", _temp.Path, "--since", "3 hours"));
    }

    [Fact]
    public async Task Help_lists_the_monitoring_commands()
    {
        var result = await CliRunner.RunAsync(["--help"]);
        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "drift", "quality", "feedback", "retrain", "export" })
        {
            Assert.Contains($"  {command}", result.Out);
        }
    }
}
