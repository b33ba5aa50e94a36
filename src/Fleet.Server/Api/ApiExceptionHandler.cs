using Fleet.Inference;
using Fleet.Abstractions.Models;
using Fleet.Server.Protocol;
using Fleet.Server.Serving;
using Microsoft.AspNetCore.Diagnostics;

namespace Fleet.Server.Api;

/// <summary>
/// Turns every failure into <c>{"error": "..."}</c> with the status that says whose fault it is:
/// 400/404/409/422 for the request, 503 for a model that cannot answer, 500 for Fleet's own errors (logged).
/// </summary>
internal sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, raw) = Classify(exception);
        var message = Bound(raw);
        if (status >= 500)
        {
            LogFailure(context.Request.Method, context.Request.Path, status, exception);
        }

        if (context.Response.HasStarted)
        {
            return false;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        if (status == 503)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        if (exception is ContractRejectedException rejected)
        {
            // Every violation, so the client can fix all of them at once.
            context.Response.ContentType = "application/json";
            await using var writer = new System.Text.Json.Utf8JsonWriter(context.Response.BodyWriter);
            writer.WriteStartObject();
            writer.WriteString("error", message);
            writer.WriteNumber("violation_count", rejected.Total);
            writer.WriteStartArray("violations");
            foreach (var violation in rejected.Violations)
            {
                ViolationWriter.Write(writer, violation);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            return true;
        }

        // Exactly application/json (no charset): the KServe Python client drops the message otherwise.
        await context.Response.WriteAsJsonAsync(new { error = message }, (System.Text.Json.JsonSerializerOptions?)null, "application/json", cancellationToken);
        return true;
    }

    /// <summary>
    /// For error statuses answered without a body (no route, method not allowed): the same <c>{"error": "..."}</c>
    /// as every other error (run by UseStatusCodePages, which skips responses that have a body or a content type).
    /// </summary>
    public static Task WriteEmptyStatusAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var (method, path, status) = (http.Request.Method, http.Request.Path.Value, http.Response.StatusCode);
        var message = status switch
        {
            404 => $"no such endpoint: {method} {path}",
            405 => $"method {method} is not allowed on {path}",
            _ => $"{Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status).ToLowerInvariant()}: {method} {path}",
        };
        return http.Response.WriteAsJsonAsync(new { error = Bound(message) }, (System.Text.Json.JsonSerializerOptions?)null, "application/json", http.RequestAborted);
    }

    /// <summary>Longest error message sent: errors quote what the client sent, and a client must not get its 100 kB value echoed back.</summary>
    public const int MaxMessageLength = 1000;

    /// <summary>The message, cut after <see cref="MaxMessageLength"/> characters with the count of what was left out.</summary>
    public static string Bound(string message) => message.Length <= MaxMessageLength
        ? message
        : string.Concat(message.AsSpan(0, MaxMessageLength), $"... ({message.Length - MaxMessageLength} more characters not shown)");

    internal static (int Status, string Message) Classify(Exception exception) => exception switch
    {
        InvalidRequestException e => (400, e.Message),
        RegistryException { Kind: RegistryErrorKind.Invalid } e => (400, e.Message),
        RegistryException { Kind: RegistryErrorKind.NotFound } e => (404, e.Message),
        RegistryException { Kind: RegistryErrorKind.Conflict } e => (409, e.Message),
        ModelUnavailableException e => (503, e.Message),
        NonFiniteOutputException e => (503, e.Message),
        ContractRejectedException e => (400, e.Message),
        InputNotRunnableException e => (422, e.Message),
        FallbackExhaustedException e => (503, e.Message),
        // Parameter binding (RouteHandlerOptions.ThrowOnBadRequest) names the parameter itself; the rest is about the body.
        BadHttpRequestException e when e.Message.StartsWith("Failed to bind parameter", StringComparison.Ordinal)
            || e.Message.StartsWith("Required parameter", StringComparison.Ordinal) => (e.StatusCode, e.Message),
        BadHttpRequestException e => (e.StatusCode, $"body: {e.Message}"),
        // Form and multipart reading limits (value count, line length, section length) and malformed bodies.
        InvalidDataException e => (400, $"body: {e.Message}"),
        InferenceException e => (500, $"inference failed: {e.Message}"),
        // A silo died and membership has not declared it dead yet (about a second with Fleet's defaults): retryable.
        SiloUnavailableException e => (503, $"cluster: a silo is unavailable, retry shortly ({e.Message.Split('\n', 2)[0]})"),
        OrleansMessageRejectionException e => (503, $"cluster: a silo is unavailable, retry shortly ({e.Message.Split('\n', 2)[0]})"),
        _ => (500, $"internal error ({exception.GetType().Name}): {exception.Message}"),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed with {Status}")]
    private partial void LogFailure(string method, string path, int status, Exception exception);
}
