using FleetL4.State;

namespace FleetL4;

/// <summary>The list of joined clusters, so that clients can list everything without scanning storage.</summary>
public sealed class FleetDirectoryGrain(
    [PersistentState("directory", StorageNames.Fleet)] IPersistentState<FleetDirectoryState> state) : Grain, IFleetDirectoryGrain
{
    public async Task Add(string cluster)
    {
        if (state.State.Clusters.Add(cluster)) await state.WriteStateAsync();
    }

    public async Task Remove(string cluster)
    {
        if (state.State.Clusters.Remove(cluster)) await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>(state.State.Clusters.ToArray());
}
