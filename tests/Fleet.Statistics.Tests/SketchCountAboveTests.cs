namespace Fleet.Statistics.Tests;

/// <summary>SketchData.CountAbove: what the latency rule counts against a threshold.</summary>
public sealed class SketchCountAboveTests
{
    [Fact]
    public void Counts_the_values_above_a_threshold_leaving_out_only_those_within_the_accuracy_of_it()
    {
        var sketch = new DDSketch();
        for (var i = 1; i <= 1000; i++)
        {
            sketch.Add(i / 10.0); // 0.1 .. 100 ms
        }

        var data = sketch.ToData();
        // 900 values are above 10.0; the bucket holding 10.0 (±1 %) is not counted, so 9.9..10.1 may be left out.
        Assert.InRange(data.CountAbove(10.0), 899, 900);
        Assert.Equal(0, data.CountAbove(100.0));
        Assert.Equal(0, data.CountAbove(1e6));
        Assert.InRange(data.CountAbove(0.05), 999, 1000);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.CountAbove(0));
    }
}
