using System.Diagnostics;

namespace Fleet.Testing;

/// <summary>
/// Waits for a condition that another component makes true asynchronously (a pushed route, a process
/// becoming ready). Bounded: fails with what it waited for. Not a sleep used as synchronisation: every
/// check reads the real state.
/// </summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        Exception? last = null;
        while (watch.Elapsed < timeout)
        {
            try
            {
                if (await condition())
                    return;
            }
            catch (HttpRequestException ex)
            {
                last = ex;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"timed out after {timeout.TotalSeconds:F0} s waiting for {what}" + (last is null ? string.Empty : $" (last error: {last.Message})"));
    }
}
