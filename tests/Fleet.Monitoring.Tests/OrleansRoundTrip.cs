using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Fleet.Monitoring.Tests;

/// <summary>A copy through Orleans' serializer, as between silos or into grain storage.</summary>
internal static class OrleansRoundTrip
{
    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer()
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    public static T Copy<T>(T value) => Serializer.Deserialize<T>(Serializer.SerializeToArray(value))!;
}
