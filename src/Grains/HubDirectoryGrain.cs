using FleetL4.State;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace FleetL4;

/// <summary>
/// The hub's namespaces and placements, and the fan-out of changes to placements: each change is one one-way
/// message per placement, so an idle hub sends nothing and a change costs one reconcile per placement.
/// </summary>
public sealed class HubDirectoryGrain(
    [PersistentState("hubdirectory", StorageNames.Fleet)] IPersistentState<HubDirectoryState> state,
    ILogger<HubDirectoryGrain> logger) : Grain, IHubDirectoryGrain
{
    private readonly ObserverManager<IPlacementObserver> _observers = new(IHubDirectoryGrain.ObserverLifetime, logger);

    public async Task SetNamespace(string ns, bool present)
    {
        if (present ? state.State.Namespaces.Add(ns) : state.State.Namespaces.Remove(ns)) await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> Namespaces() => Task.FromResult<IReadOnlyList<string>>(state.State.Namespaces.ToArray());

    public async Task SetPlacement(string name, bool present)
    {
        if (present ? state.State.Placements.Add(name) : state.State.Placements.Remove(name)) await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> Placements() => Task.FromResult<IReadOnlyList<string>>(state.State.Placements.ToArray());

    public Task ClustersChanged() => ReconcileAll();

    public Task ResourcesChanged(string ns) => ReconcileAll();

    public Task PlacementChanged(string name)
    {
        _observers.Notify(o => o.Changed(name));
        return Task.CompletedTask;
    }

    public Task Watch(IPlacementObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task Unwatch(IPlacementObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    private Task ReconcileAll()
    {
        foreach (var name in state.State.Placements) GrainFactory.GetGrain<IPlacementGrain>(name).Reconcile().Ignore();
        return Task.CompletedTask;
    }
}
