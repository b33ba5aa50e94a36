using Fleet.Abstractions.Models;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;

namespace Fleet.Abstractions.Tests;

/// <summary>Orleans' serializer and copier with Fleet.Abstractions' surrogates, as between silos or into grain storage.</summary>
internal static class OrleansRoundTrip
{
    private static readonly IServiceProvider Services = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(ModelInfo).Assembly))
        .BuildServiceProvider();

    public static Serializer Serializer { get; } = Services.GetRequiredService<Serializer>();

    public static DeepCopier Copier { get; } = Services.GetRequiredService<DeepCopier>();

    /// <summary>Serialized and read back; the copy serializes to the same bytes, so no field was lost or changed.</summary>
    public static T Copy<T>(T value)
    {
        var bytes = Serializer.SerializeToArray(value);
        var copy = Serializer.Deserialize<T>(bytes)!;
        Assert.Equal(bytes, Serializer.SerializeToArray(copy));
        return copy;
    }
}
