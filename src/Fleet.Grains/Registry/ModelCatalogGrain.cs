using Fleet.Abstractions.Models;
using Fleet.Abstractions.Routing;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace Fleet.Grains.Registry;

/// <summary>
/// The list of models and the fan-out of routing changes to every silo's <see cref="IRouteObserver"/>.
/// Subscriptions live in memory and expire; silos re-subscribe on a period and re-read every route,
/// so a reactivation of this grain elsewhere heals within one period.
/// </summary>
internal sealed class ModelCatalogGrain : Grain, IModelCatalogGrain
{
    public static readonly TimeSpan SubscriptionExpiry = TimeSpan.FromMinutes(2);

    private readonly IPersistentState<CatalogState> _state;
    private readonly ObserverManager<IRouteObserver> _observers;

    public ModelCatalogGrain(
        [PersistentState("catalog", FleetStorage.Name)] IPersistentState<CatalogState> state,
        ILogger<ModelCatalogGrain> logger)
    {
        _state = state;
        _observers = new ObserverManager<IRouteObserver>(SubscriptionExpiry, logger);
    }

    public async Task Add(string model)
    {
        if (_state.State.Models.Contains(model))
        {
            return;
        }

        var updated = new SortedSet<string>(_state.State.Models, StringComparer.Ordinal) { model };
        var previous = _state.State.Models;
        _state.State.Models = updated;
        try
        {
            await _state.WriteStateAsync();
        }
        catch
        {
            _state.State.Models = previous;
            throw;
        }
    }

    public Task<string[]> List() => Task.FromResult(_state.State.Models.ToArray());

    public async Task<ModelRoute[]> GetRoutes()
    {
        var routes = await Task.WhenAll(_state.State.Models.Select(m => GrainFactory.GetGrain<IModelGrain>(m).GetRoute()));
        return routes.OfType<ModelRoute>().ToArray();
    }

    public Task Subscribe(IRouteObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IRouteObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task Publish(ModelRoute route)
    {
        _observers.Notify(o => o.OnRouteChanged(route));
        return Task.CompletedTask;
    }
}
