using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Fleet.Abstractions.Routing;
using Fleet.Server.Api;
using Fleet.Server.Protocol;
using Fleet.Server.Serving;
using Fleet.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Replicas;

/// <summary>
/// Sends a request for a model this silo was not placed on to a host that serves it (<see cref="ModelRoute.Replicas"/>),
/// and copies that host's answer to the client. Replicas are tried in turn (round-robin per model, those that failed
/// within <see cref="ReplicaOptions.SuspectFor"/> last, those membership declared dead never) until one answers, <see cref="ReplicaOptions.MaxAttempts"/> are
/// spent or the request's deadline passes. A 2xx or 4xx answer is final; no connection, no answer within the attempt's
/// timeout, or a 5xx moves on to the next replica. Off the hot path: only requests this silo cannot serve get here.
/// </summary>
internal sealed partial class ReplicaForwarder : IDisposable
{
    /// <summary>Request header: the silo that forwarded it. A silo never forwards such a request again.</summary>
    public const string ForwardedByHeader = "Fleet-Forwarded-By";

    /// <summary>Request header: the client's deadline in milliseconds (a positive integer).</summary>
    public const string TimeoutHeader = "Fleet-Timeout-Ms";

    /// <summary>Response header: the replica host whose answer this is.</summary>
    public const string ServedByHeader = "Fleet-Served-By";

    /// <summary>Attempt outcomes, the <c>outcome</c> tag of <c>fleet.inference.forwarded</c>.</summary>
    public const string Answered = "answered", ConnectFailed = "connect_failed", TimedOut = "timeout", ServerError = "server_error";

    private static readonly string[] RequestHeadersCopied = ["traceparent", "tracestate", "x-request-id"];
    private static readonly string[] ResponseHeadersCopied = [InferenceApi.VersionHeader, InferenceApi.FallbackHeader, "Retry-After"];

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);

    private readonly string _host;
    private readonly ReplicaOptions _options;
    private readonly FleetMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<ReplicaForwarder> _logger;
    private readonly HttpClient _client;
    private readonly IDeadHosts _dead;

    // Host name -> when it last failed an attempt. Bounded by the number of hosts.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _suspects = new(StringComparer.Ordinal);

    // Model name -> round-robin counter. Bounded by the models with a placement.
    private readonly ConcurrentDictionary<string, StrongBox<int>> _turns = new(StringComparer.Ordinal);

    public ReplicaForwarder(HostIdentity identity, IDeadHosts dead, IOptions<ReplicaOptions> options, FleetMetrics metrics, TimeProvider time, ILogger<ReplicaForwarder> logger)
    {
        _host = identity.Name;
        _dead = dead;
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            // Picks up a replica's new address (DNS) now and then.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            // The client's own traceparent is copied as it came.
            ActivityHeadersPropagator = null,
        };
        // Each attempt has its own timeout (ForwardTimeout, bounded by the deadline).
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// Forwards the request (<paramref name="body"/>: its bytes, already read) for the live version of
    /// <paramref name="route"/>'s model and writes the first final answer to <c>context.Response</c>.
    /// Throws <see cref="InvalidRequestException"/> for a bad <c>Fleet-Timeout-Ms</c> header (400) and
    /// <see cref="ModelUnavailableException"/> (503) naming every attempt when no replica answered.
    /// A client that goes away ends it with <see cref="OperationCanceledException"/>, blaming no replica.
    /// </summary>
    public async Task ForwardAsync(HttpContext context, ModelRoute route, ReadOnlyMemory<byte> body)
    {
        var deadline = Deadline(context.Request);
        var started = _time.GetTimestamp();
        var model = route.Model;
        var candidates = Candidates(route);
        if (candidates.Count == 0)
        {
            var replicas = route.Replicas ?? [];
            var placed = replicas.Length > 0 ? string.Join(", ", replicas.Select(r => _dead.IsDead(r.Host) ? $"{r.Host} (declared dead)" : r.Host)) : "none";
            var why = replicas.Any(r => r.Host != _host && IsHttpUrl(r.Url) && _dead.IsDead(r.Host))
                ? "every other replica is on a host cluster membership declared dead (the coordinator is moving them)"
                : "no other replica has a URL to forward to";
            throw new ModelUnavailableException($"model '{model}' is not loaded on this host and {why} (placed on: {placed})");
        }

        var failures = new List<string>();
        var tried = 0;
        for (; tried < candidates.Count && tried < _options.MaxAttempts; tried++)
        {
            var remaining = deadline - _time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            var replica = candidates[tried];
            var timeout = remaining < _options.ForwardTimeout ? remaining : _options.ForwardTimeout;
            var (outcome, why) = await AttemptAsync(context, replica, model, body, timeout, remaining);
            _metrics.RecordForward(model, replica.Host, outcome);
            if (outcome == Answered)
            {
                return;
            }

            _suspects[replica.Host] = _time.GetUtcNow();
            LogAttemptFailed(model, replica.Host, replica.Url!, why);
            failures.Add($"host {replica.Host} ({replica.Url}): {why}");
        }

        var message = $"model '{model}' is not loaded on this host and no replica answered: ";
        if (failures.Count == 0)
        {
            message += $"the deadline of {deadline.TotalMilliseconds:F0} ms passed before any replica was tried";
        }
        else
        {
            message += string.Join("; ", failures);
            var untried = candidates.Count - tried;
            if (untried > 0)
            {
                message += tried >= _options.MaxAttempts
                    ? $"; {untried} more not tried (Fleet:Replicas:MaxAttempts = {_options.MaxAttempts})"
                    : $"; {untried} more not tried (deadline of {deadline.TotalMilliseconds:F0} ms reached)";
            }
        }

        throw new ModelUnavailableException(message);
    }

    /// <summary>The request's deadline: <c>Fleet-Timeout-Ms</c>, or <see cref="ReplicaOptions.RequestTimeout"/> without it.</summary>
    internal TimeSpan Deadline(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(TimeoutHeader, out var values))
        {
            return _options.RequestTimeout;
        }

        var text = values.ToString();
        if (values.Count == 1 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0)
        {
            return TimeSpan.FromMilliseconds(Math.Min(ms, int.MaxValue));
        }

        var shown = text.Length > 64 ? text[..64] + "..." : text;
        throw new InvalidRequestException($"header {TimeoutHeader}: must be a positive integer (milliseconds), got '{shown}'");
    }

    /// <summary>
    /// The replicas to try, in order: other hosts with a URL; those not suspect first, starting one further along for
    /// each request of the model (round-robin); then the suspects, the one that failed longest ago first.
    /// </summary>
    internal IReadOnlyList<ReplicaEndpoint> Candidates(ModelRoute route)
    {
        var usable = (route.Replicas ?? []).Where(r => r.Host != _host && IsHttpUrl(r.Url) && !_dead.IsDead(r.Host)).ToArray();
        if (usable.Length <= 1)
        {
            return usable;
        }

        var turn = _turns.GetOrAdd(route.Model, static _ => new StrongBox<int>(-1));
        var start = (int)((uint)Interlocked.Increment(ref turn.Value) % (uint)usable.Length);
        var now = _time.GetUtcNow();
        var ordered = new List<ReplicaEndpoint>(usable.Length);
        var suspects = new List<(ReplicaEndpoint Replica, DateTimeOffset Since)>();
        for (var i = 0; i < usable.Length; i++)
        {
            var replica = usable[(start + i) % usable.Length];
            if (_suspects.TryGetValue(replica.Host, out var since) && now - since < _options.SuspectFor)
            {
                suspects.Add((replica, since));
            }
            else
            {
                ordered.Add(replica);
            }
        }

        ordered.AddRange(suspects.OrderBy(s => s.Since).Select(s => s.Replica));
        return ordered;
    }

    private async Task<(string Outcome, string Why)> AttemptAsync(HttpContext context, ReplicaEndpoint replica, string model,
        ReadOnlyMemory<byte> body, TimeSpan timeout, TimeSpan remaining)
    {
        var baseUrl = replica.Url!.EndsWith('/') ? replica.Url : replica.Url + "/";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(baseUrl), $"v2/models/{Uri.EscapeDataString(model)}/infer"))
        {
            Content = new ReadOnlyMemoryContent(body),
        };
        var incoming = context.Request.Headers;
        if (incoming.ContentType.Count > 0)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", incoming.ContentType.ToString());
        }

        request.Headers.TryAddWithoutValidation(ForwardedByHeader, _host);
        if (System.Diagnostics.Activity.Current is { IdFormat: System.Diagnostics.ActivityIdFormat.W3C } span)
        {
            // The replica's span continues this request's trace.
            request.Headers.Remove("traceparent");
            request.Headers.TryAddWithoutValidation("traceparent", span.Id);
        }
        request.Headers.TryAddWithoutValidation(TimeoutHeader, ((long)Math.Ceiling(remaining.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture));
        foreach (var name in RequestHeadersCopied)
        {
            if (incoming.TryGetValue(name, out var value))
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value);
            }
        }

        using var attempt = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(attempt.Token, context.RequestAborted);
        try
        {
            // The whole answer is read within the attempt's time, so a replica that stalls mid-body can still be retried.
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            var status = (int)response.StatusCode;
            if (status >= 500)
            {
                return (ServerError, $"answered {status}" + await ErrorTextAsync(response));
            }

            await CopyAnswerAsync(context, replica, response);
            return (Answered, string.Empty);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (attempt.IsCancellationRequested)
        {
            return (TimedOut, $"no answer within {timeout.TotalMilliseconds:F0} ms");
        }
        catch (OperationCanceledException)
        {
            // SocketsHttpHandler.ConnectTimeout.
            return (ConnectFailed, $"could not connect within {ConnectTimeout.TotalMilliseconds:F0} ms");
        }
        catch (HttpRequestException ex)
        {
            return (ConnectFailed, Describe(ex));
        }
    }

    private static async Task CopyAnswerAsync(HttpContext context, ReplicaEndpoint replica, HttpResponseMessage answer)
    {
        var response = context.Response;
        response.StatusCode = (int)answer.StatusCode;
        if (answer.Content.Headers.ContentType is { } contentType)
        {
            response.ContentType = contentType.ToString();
        }

        foreach (var name in ResponseHeadersCopied)
        {
            if (answer.Headers.TryGetValues(name, out var values) || answer.Content.Headers.TryGetValues(name, out values))
            {
                response.Headers[name] = values.ToArray();
            }
        }

        response.Headers[ServedByHeader] = replica.Host;
        if (answer.Content.Headers.ContentLength is { } length)
        {
            response.ContentLength = length;
        }

        await answer.Content.CopyToAsync(response.Body, context.RequestAborted);
    }

    /// <summary>The replica's own <c>{"error": ...}</c>, else the start of whatever body it sent (a proxy's page), shortened.</summary>
    private static async Task<string> ErrorTextAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var message = text;
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                message = error.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the raw text is the best explanation there is.
        }

        message = message.ReplaceLineEndings(" ").Trim();
        return message.Length == 0 ? string.Empty : ": " + (message.Length > 300 ? message[..300] + "..." : message);
    }

    private static string Describe(HttpRequestException ex) => ex.InnerException switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused",
        SocketException socket => $"connection failed ({socket.SocketErrorCode})",
        _ => ex.HttpRequestError switch
        {
            HttpRequestError.ConnectionError => $"connection failed: {ex.Message}",
            HttpRequestError.NameResolutionError => $"name resolution failed: {ex.Message}",
            HttpRequestError.ResponseEnded => "the connection closed before a complete answer",
            _ => $"request failed ({ex.HttpRequestError}): {ex.Message}",
        },
    };

    private static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    public void Dispose() => _client.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding model {Model} to replica {Host} ({Url}) failed: {Why}")]
    private partial void LogAttemptFailed(string model, string host, string url, string why);
}
