using Microsoft.Extensions.Options;

namespace FleetL4.LoadBalancing.Azure.Balancers;

/// <summary>Keeps <see cref="LoadBalancerPlacement"/> across silo loss; names come from FleetL4:Azure:LoadBalancerName.</summary>
public sealed class AzurePlacementGrain(
    [PersistentState("azure-placement", StorageNames.Fleet)] IPersistentState<LoadBalancerPlacement> state,
    IOptions<AzureOptions> options) : Grain, IAzurePlacementGrain
{
    public async Task<(string LoadBalancer, string? Before)> Assign(string mcsId, bool isInternal, int rules)
    {
        var had = state.State.Assigned.GetValueOrDefault(mcsId);
        var (now, before) = state.State.Assign(mcsId, isInternal, rules);
        if (had != state.State.Assigned[mcsId]) await state.WriteStateAsync();
        return (Name(now), before is { } b ? Name(b) : null);
    }

    public async Task<string?> Release(string mcsId)
    {
        var held = state.State.Release(mcsId);
        if (held is null) return null;
        await state.WriteStateAsync();
        return Name(held.Value);
    }

    public Task<string?> Find(string mcsId) =>
        Task.FromResult(state.State.Assigned.TryGetValue(mcsId, out var a) ? Name((a.Internal, a.Index)) : null);

    private string Name((bool Internal, int Index) place) => AzureNames.LoadBalancer(options.Value.LoadBalancerName, place.Internal, place.Index);
}
