namespace Fleet.Grains.Registry;

[GenerateSerializer, Alias("fleet.CatalogState")]
public sealed class CatalogState
{
    [Id(0)] public SortedSet<string> Models { get; set; } = new(StringComparer.Ordinal);
}
