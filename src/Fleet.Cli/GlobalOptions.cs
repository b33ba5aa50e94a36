using System.CommandLine;
using System.Globalization;

namespace Fleet.Cli;

/// <summary>Output format chosen with <c>--output</c>.</summary>
public enum OutputFormat
{
    Table,
    Json,
}

/// <summary>The global options, resolved against the environment.</summary>
internal sealed record CliSettings(string ServerUrl, OutputFormat Output, string? Token, TimeSpan Timeout, string Actor);

/// <summary>The options every command accepts (<c>--server</c>, <c>--output</c>, <c>--token</c>, <c>--timeout</c>).</summary>
internal sealed class GlobalOptions
{
    public const string DefaultServer = "http://127.0.0.1:8080";
    public const double DefaultTimeoutSeconds = 100;

    public Option<string?> Server { get; } = new("--server")
    {
        Description = "Fleet server URL [env: FLEET_SERVER; default: " + DefaultServer + "]",
        HelpName = "URL",
        Recursive = true,
    };

    public Option<string> Output { get; } = new("--output", "-o")
    {
        Description = "Output format: table for people, json for scripts (the server's JSON response)",
        HelpName = "table|json",
        DefaultValueFactory = _ => "table",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = "Bearer token for admin calls [env: FLEET_TOKEN]",
        HelpName = "TOKEN",
        Recursive = true,
    };

    public Option<double> Timeout { get; } = new("--timeout")
    {
        Description = "Request timeout in seconds, 0 for none",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => DefaultTimeoutSeconds,
        Recursive = true,
    };

    public GlobalOptions()
    {
        Output.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (ParseOutput(value) is null)
            {
                result.AddError($"Invalid value '{value}' for --output: expected 'table' or 'json'.");
            }
        });
        Timeout.CustomParser = result =>
        {
            var text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                && double.IsFinite(seconds) && seconds >= 0 && seconds <= int.MaxValue / 1000.0)
            {
                return seconds;
            }

            result.AddError($"Invalid value '{text}' for --timeout: expected a number of seconds >= 0.");
            return DefaultTimeoutSeconds;
        };
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(Output);
        command.Options.Add(Token);
        command.Options.Add(Timeout);
    }

    /// <summary>Resolves the options against the environment; throws <see cref="UsageException"/> on a bad server URL.</summary>
    public CliSettings Resolve(ParseResult parseResult, CliContext context)
    {
        var server = ResolveServerUrl(parseResult.GetValue(Server), context.GetEnvironmentVariable);
        var output = ParseOutput(parseResult.GetValue(Output)) ?? OutputFormat.Table;
        var token = NonEmpty(parseResult.GetValue(Token)) ?? NonEmpty(context.GetEnvironmentVariable("FLEET_TOKEN"));
        var seconds = parseResult.GetValue(Timeout);
        var timeout = seconds == 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(seconds);
        var actor = NonEmpty(context.GetEnvironmentVariable("FLEET_ACTOR")) ?? NonEmpty(context.GetEnvironmentVariable("USER")) ?? NonEmpty(Environment.UserName) ?? "unknown";
        return new CliSettings(server, output, token?.Trim(), timeout, actor);
    }

    /// <summary><c>--server</c>, else <c>FLEET_SERVER</c>, else the default; validated and without a trailing slash.</summary>
    internal static string ResolveServerUrl(string? option, Func<string, string?> getEnvironmentVariable)
    {
        string source;
        string url;
        if (NonEmpty(option) is { } fromOption)
        {
            (source, url) = ("--server", fromOption);
        }
        else if (NonEmpty(getEnvironmentVariable("FLEET_SERVER")) is { } fromEnv)
        {
            (source, url) = ("FLEET_SERVER", fromEnv);
        }
        else
        {
            (source, url) = ("default", DefaultServer);
        }

        url = url.Trim();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.Query)
            || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new UsageException($"invalid server URL '{url}' (from {source}): expected http://HOST:PORT or https://HOST:PORT");
        }

        return url.TrimEnd('/');
    }

    private static OutputFormat? ParseOutput(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "table" => OutputFormat.Table,
        "json" => OutputFormat.Json,
        _ => null,
    };

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
