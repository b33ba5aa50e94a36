using Orleans.Concurrency;

namespace Fleet.Abstractions.Routing;

/// <summary>Implemented once per silo: receives routing changes pushed by the catalog grain.</summary>
[Alias("fleet.IRouteObserver")]
public interface IRouteObserver : IGrainObserver
{
    [OneWay, Alias("OnRouteChanged")]
    Task OnRouteChanged(ModelRoute route);
}
