using Fleet.Abstractions.Security;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Security;

/// <summary>
/// Reads the run-time tokens before the server takes requests, then refuses an unsafe start (a non-loopback listener
/// with no token at all, unless <see cref="SecurityOptions.AllowAnonymousAdmin"/>), says which mode it runs in, and
/// re-reads the tokens every <see cref="SecurityOptions.TokenRefreshInterval"/>. A failed re-read keeps the copy held
/// and is logged each time.
/// </summary>
internal sealed partial class TokenRefreshService(
    IGrainFactory grains,
    AccessTokens tokens,
    ListenerPlan listeners,
    IOptions<SecurityOptions> options,
    TimeProvider time,
    ILogger<TokenRefreshService> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        tokens.Apply(await grains.GetGrain<ITokenRegistryGrain>(ITokenRegistryGrain.Key).List());
        var exposed = listeners.NonLoopback.ToArray();
        if (tokens.None)
        {
            if (options.Value.AllowAnonymousAdmin)
            {
                LogAnonymous(exposed.Length == 0 ? "loopback only" : string.Join(", ", exposed));
            }
            else if (exposed.Length > 0)
            {
                throw new InvalidOperationException(StartRefusal(exposed));
            }
            else
            {
                LogProtected();
            }
        }
        else
        {
            var configured = string.Join(", ", tokens.Configured.Select(i => $"{i.Name} ({i.Role.Name()})"));
            LogTokens(tokens.Count, configured.Length == 0 ? "none" : configured);
        }

        _loop = RefreshLoopAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
    }

    public void Dispose() => _stopping.Dispose();

    internal static string StartRefusal(IEnumerable<string> exposed) =>
        $"Fleet refuses to start: it would listen on {string.Join(", ", exposed)} (not loopback) with no token configured, so anyone who can reach it " +
        "could promote, roll back or switch off guardrails. Configure a token (Fleet:Security:Tokens:0:Name, :Role admin, :Secret or :SecretFile), " +
        "or set Fleet:Security:AllowAnonymousAdmin=true to run open anyway (not recommended).";

    private async Task RefreshLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.TokenRefreshInterval, time, stoppingToken);
                tokens.Apply(await grains.GetGrain<ITokenRegistryGrain>(ITokenRegistryGrain.Key).List());
                tokens.RefreshFailure = null;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Not only logged: GET /api/v1/tokens shows it, since a revoke may not have reached this silo.
                tokens.RefreshFailure = (time.GetUtcNow(), $"{e.GetType().Name}: {e.Message}");
                LogRefreshFailed(e, tokens.Generation);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Protected mode: no token is configured, so the admin API, /metrics and the dashboard answer loopback clients only (Fleet:Security:Tokens, or fleet tokens add)")]
    private partial void LogProtected();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet:Security:AllowAnonymousAdmin=true and no token: every admin call is open to anyone who can reach {Listeners}")]
    private partial void LogAnonymous(string listeners);

    [LoggerMessage(Level = LogLevel.Information, Message = "Access: {Count} token(s); from settings: {Configured}")]
    private partial void LogTokens(int count, string configured);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not re-read the run-time tokens; this silo keeps generation {Generation} until the next try")]
    private partial void LogRefreshFailed(Exception exception, long generation);
}
