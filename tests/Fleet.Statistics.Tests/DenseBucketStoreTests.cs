namespace Fleet.Statistics.Tests;

public sealed class DenseBucketStoreTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(16)]
    [InlineData(100)]
    public void Bulk_add_equals_adding_bucket_by_bucket_in_any_order(int cap)
    {
        var random = new Random(cap);
        for (var trial = 0; trial < 2000; trial++)
        {
            var bulk = new DenseBucketStore(cap);
            var single = new DenseBucketStore(cap);
            var shuffled = new DenseBucketStore(cap);
            var all = new List<(int Index, long Count)>();
            for (var batch = 0; batch < random.Next(1, 5); batch++)
            {
                var minIndex = random.Next(-300, 300);
                var counts = new long[random.Next(0, 3 * cap)];
                for (var i = 0; i < counts.Length; i++)
                    counts[i] = random.Next(4) == 0 ? 0 : random.Next(1, 5);

                bulk.AddRange(minIndex, counts);
                for (var i = 0; i < counts.Length; i++)
                {
                    if (counts[i] != 0)
                    {
                        single.Add(minIndex + i, counts[i]);
                        all.Add((minIndex + i, counts[i]));
                    }
                }
            }

            foreach (var (index, count) in all.OrderBy(_ => random.Next()))
                shuffled.Add(index, count);

            Assert.Equal(single.Total, bulk.Total);
            Assert.Equal(single.BucketCount, bulk.BucketCount);
            Assert.True(bulk.BucketCount <= cap);
            if (!single.IsEmpty)
                Assert.Equal(single.MinIndex, bulk.MinIndex);
            Assert.Equal(single.Counts.ToArray(), bulk.Counts.ToArray());
            Assert.Equal(single.Counts.ToArray(), shuffled.Counts.ToArray());
        }
    }

    [Fact]
    public void Clear_keeps_the_array_and_empties_the_store()
    {
        var store = new DenseBucketStore(64);
        store.Add(10, 3);
        store.Add(40, 1);
        var bytes = store.AllocatedBytes;
        store.Clear();
        Assert.True(store.IsEmpty);
        Assert.Equal(0, store.Total);
        Assert.Equal(bytes, store.AllocatedBytes);
        store.Add(-500, 2);
        Assert.Equal([2L], store.Counts.ToArray());
    }
}
