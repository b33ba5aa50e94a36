using System.Diagnostics;
using System.Text.Json;
using Fleet.Grains.Monitoring;
using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Monitoring;

/// <summary>
/// Delivers a new retraining request: POSTs it as JSON to the server's and the model's webhooks, and runs the
/// configured command with the JSON on stdin. Each outcome (status code, exit code, error) is returned and kept
/// on the request, and failures are logged: a request nobody received is visible, not lost.
/// </summary>
internal sealed partial class RetrainNotifier(
    IHttpClientFactory http,
    IOptions<RetrainingOptions> options,
    TimeProvider time,
    ILogger<RetrainNotifier> logger) : IRetrainNotifier
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public async Task<RetrainDelivery[]> DeliverAsync(RetrainRequest request, string? modelWebhook, CancellationToken cancellationToken)
    {
        var deliveries = new List<RetrainDelivery>();
        foreach (var url in new[] { options.Value.Webhook, modelWebhook }.Where(u => !string.IsNullOrEmpty(u)).Distinct())
        {
            deliveries.Add(await PostAsync(url!, request, cancellationToken));
        }

        if (!string.IsNullOrEmpty(options.Value.Command))
        {
            deliveries.Add(await RunAsync(options.Value.Command, request, cancellationToken));
        }

        foreach (var failed in deliveries.Where(d => !d.Ok))
        {
            LogDeliveryFailed(request.Model, request.Id, failed.Target, failed.Detail);
        }

        return [.. deliveries];
    }

    private async Task<RetrainDelivery> PostAsync(string url, RetrainRequest request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            // A buffered body with Content-Length: simple webhook receivers do not all take chunked uploads.
            using var content = new StringContent(JsonSerializer.Serialize(request, Json), System.Text.Encoding.UTF8, "application/json");
            using var response = await http.CreateClient(nameof(RetrainNotifier)).PostAsync(url, content, timeout.Token);
            return new RetrainDelivery($"webhook {url}", time.GetUtcNow(), response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode}");
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or InvalidOperationException)
        {
            return new RetrainDelivery($"webhook {url}", time.GetUtcNow(), false, ex is OperationCanceledException ? $"timed out after {options.Value.Timeout}" : ex.Message);
        }
    }

    private async Task<RetrainDelivery> RunAsync(string command, RetrainRequest request, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", command])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["FLEET_MODEL"] = request.Model, ["FLEET_RETRAIN_ID"] = request.Id, ["FLEET_VERSION"] = request.Version ?? string.Empty },
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("the command did not start");
            await process.StandardInput.WriteAsync(JsonSerializer.Serialize(request, Json));
            process.StandardInput.Close();
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            _ = process.StandardOutput.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return new RetrainDelivery($"command {command}", time.GetUtcNow(), false, $"killed after {options.Value.Timeout}");
            }

            var error = (await stderr).Trim();
            return new RetrainDelivery($"command {command}", time.GetUtcNow(), process.ExitCode == 0,
                process.ExitCode == 0 ? "exit 0" : $"exit {process.ExitCode}{(error.Length > 0 ? ": " + error[..Math.Min(error.Length, 500)] : string.Empty)}");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return new RetrainDelivery($"command {command}", time.GetUtcNow(), false, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model}: retraining request {Id} was not delivered to {Target}: {Detail}")]
    private partial void LogDeliveryFailed(string model, string id, string target, string detail);
}
