using Fleet.Abstractions.Routing;

namespace Fleet.Abstractions.Models;

/// <summary>
/// The cluster-wide list of models and the fan-out point for routing changes (key: <see cref="Key"/>).
/// Silos subscribe an <see cref="IRouteObserver"/> and re-subscribe periodically; model grains publish.
/// </summary>
[Alias("fleet.IModelCatalogGrain")]
public interface IModelCatalogGrain : IGrainWithStringKey
{
    public const string Key = "catalog";

    [Alias("Add")]
    Task Add(string model);

    [Alias("List")]
    Task<string[]> List();

    [Alias("GetRoutes")]
    Task<ModelRoute[]> GetRoutes();

    [Alias("Subscribe")]
    Task Subscribe(IRouteObserver observer);

    [Alias("Unsubscribe")]
    Task Unsubscribe(IRouteObserver observer);

    [Alias("Publish")]
    Task Publish(ModelRoute route);
}
