using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fleet.Cli.Http;

/// <summary>A successful response: the parsed JSON body (null when empty) and the response headers.</summary>
internal sealed record ApiResponse(JsonNode? Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>A response header's value (several values joined with ", "), or null when absent or blank.</summary>
    public string? Header(string name) =>
        Headers.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}

/// <summary>
/// Thin HTTP client for the Fleet admin and inference API. Maps transport failures to
/// <see cref="FleetUnreachableException"/> and HTTP error statuses to <see cref="FleetServerException"/>.
/// </summary>
internal sealed class FleetApiClient : IDisposable
{
    private static readonly string _userAgent = "fleet-cli/" + (typeof(FleetApiClient).Assembly.GetName().Version?.ToString(3) ?? "0");

    private readonly HttpClient _http;
    private readonly CliSettings _settings;

    public FleetApiClient(CliSettings settings, HttpMessageHandler? handler)
    {
        _settings = settings;
        _http = handler is null
            ? new HttpClient(new SocketsHttpHandler(), disposeHandler: true)
            : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = settings.Timeout;
    }

    public string ServerUrl => _settings.ServerUrl;

    public Task<JsonNode?> GetAsync(string path, CancellationToken cancellationToken) =>
        SendBodyAsync(HttpMethod.Get, path, content: null, cancellationToken);

    public Task<JsonNode?> PostJsonAsync(string path, JsonNode body, CancellationToken cancellationToken) =>
        SendBodyAsync(HttpMethod.Post, path, JsonContent(body.ToJsonString()), cancellationToken);

    public Task<JsonNode?> PostAsync(string path, HttpContent content, CancellationToken cancellationToken) =>
        SendBodyAsync(HttpMethod.Post, path, content, cancellationToken);

    public Task<JsonNode?> PutAsync(string path, HttpContent content, CancellationToken cancellationToken) =>
        SendBodyAsync(HttpMethod.Put, path, content, cancellationToken);

    public Task<JsonNode?> PatchJsonAsync(string path, JsonNode body, CancellationToken cancellationToken) =>
        SendBodyAsync(HttpMethod.Patch, path, JsonContent(body.ToJsonString()), cancellationToken);

    private async Task<JsonNode?> SendBodyAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken) =>
        (await SendAsync(method, path, content, cancellationToken)).Body;

    public static HttpContent JsonContent(string json) =>
        new StringContent(json, new UTF8Encoding(false), "application/json");

    /// <summary>Escapes one path segment (a model name or version id).</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);

    /// <summary>Builds <c>?a=b&amp;c=d</c> from the pairs whose value is not null; empty when none.</summary>
    public static string Query(params (string Name, string? Value)[] parameters)
    {
        var parts = parameters
            .Where(p => p.Value is not null)
            .Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value!))
            .ToList();
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    /// <summary>Sends a request; returns the JSON body and the response headers, or throws on failure.</summary>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var (status, body, headers) = await SendAsync(method, path, content, "application/json", cancellationToken);
        if (string.IsNullOrWhiteSpace(body))
        {
            return new ApiResponse(null, headers);
        }

        try
        {
            return new ApiResponse(JsonNode.Parse(body), headers);
        }
        catch (JsonException)
        {
            throw new FleetServerException(status, $"the server's response is not JSON: {Truncate(body.Trim(), 200)}");
        }
    }

    /// <summary>Sends a request and returns the body as text (e.g. CSV) with the response headers, or throws on failure.</summary>
    public async Task<(string Body, Dictionary<string, string> Headers)> SendTextAsync(HttpMethod method, string path, HttpContent? content, string accept,
        CancellationToken cancellationToken)
    {
        var (_, body, headers) = await SendAsync(method, path, content, accept, cancellationToken);
        return (body, headers);
    }

    /// <summary>Sends a request; the status and body of a success, or throws on failure (4xx/5xx, unreachable, timeout).</summary>
    private async Task<(int Status, string Body, Dictionary<string, string> Headers)> SendAsync(HttpMethod method, string path, HttpContent? content, string accept,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_settings.ServerUrl + path, UriKind.Absolute));
        request.Content = content;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
        request.Headers.TryAddWithoutValidation("Fleet-Actor", AsciiOnly(_settings.Actor));
        if (_settings.Token is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AsciiOnly(token));
        }

        int status;
        string body;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            status = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers))
            {
                headers[header.Key] = string.Join(", ", header.Value);
            }

            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new FleetUnreachableException(_settings.ServerUrl, Describe(e));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout elapsed.
            throw new FleetUnreachableException(
                _settings.ServerUrl,
                $"no response within {_settings.Timeout.TotalSeconds:0.###} s (timed out; see --timeout)");
        }
        catch (IOException e)
        {
            throw new FleetUnreachableException(_settings.ServerUrl, e.Message);
        }

        if (status >= 400)
        {
            throw new FleetServerException(status, ExtractErrorMessage(body, status));
        }

        return (status, body, headers);
    }

    /// <summary>
    /// The message of an error response: the <c>error</c> field of <c>{"error": "..."}</c>, else a
    /// problem-details <c>detail</c>/<c>title</c>, else the raw body (shortened), else a generic text.
    /// </summary>
    internal static string ExtractErrorMessage(string body, int status)
    {
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                if (JsonNode.Parse(body) is JsonObject obj)
                {
                    foreach (var key in new[] { "error", "detail", "title", "message" })
                    {
                        if (obj[key] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text))
                        {
                            return text;
                        }

                        if (obj[key] is JsonObject nested && nested["message"] is JsonValue nestedValue
                            && nestedValue.TryGetValue<string>(out var nestedText) && !string.IsNullOrWhiteSpace(nestedText))
                        {
                            return nestedText;
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON: fall through to the raw body.
            }

            var flat = string.Join(' ', body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            return Truncate(flat, 300);
        }

        return status switch
        {
            400 => "bad request",
            401 => "unauthorized (missing or invalid token; see --token / FLEET_TOKEN)",
            403 => "forbidden",
            404 => "not found",
            409 => "conflict",
            _ when status >= 500 => "server error",
            _ => "request failed",
        };
    }

    private static string Describe(HttpRequestException e)
    {
        // The outermost message is usually the best ("Connection refused (127.0.0.1:8080)");
        // for TLS and protocol failures the inner exception says what went wrong.
        var message = e.Message;
        if (e.InnerException is { } inner && !message.Contains(inner.Message, StringComparison.Ordinal)
            && e.HttpRequestError is not HttpRequestError.ConnectionError and not HttpRequestError.NameResolutionError)
        {
            message += ": " + inner.Message;
        }

        return message;
    }

    private static string AsciiOnly(string value)
    {
        var chars = value.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray();
        return new string(chars);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "...";

    public void Dispose() => _http.Dispose();
}
