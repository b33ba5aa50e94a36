namespace Fleet.Server.Hosting;

/// <summary>Calls back each time cluster membership declares another silo dead (a killed or frozen host).</summary>
internal static class SiloDeaths
{
    /// <summary>Runs until <paramref name="stoppingToken"/> fires; an exception from the membership stream ends the watch and is thrown.</summary>
    public static async Task WatchAsync(IClusterMembershipService membership, Action onDeath, CancellationToken stoppingToken)
    {
        var dead = membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Dead);
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var now = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Dead);
                if (now > dead)
                {
                    onDeath();
                }

                dead = now;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
