namespace Fleet.Monitoring.Online;

/// <summary>Fills <paramref name="row"/> with one simulated sample, drawing only from <paramref name="random"/>.</summary>
public delegate void RowSampler(Random random, double[] row);
