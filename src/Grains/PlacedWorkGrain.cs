using FleetL4.Models;
using FleetL4.State;
using Microsoft.Extensions.Logging;

namespace FleetL4;

/// <summary>
/// What placements put on one member cluster. A change is delivered at once: to a virtual cluster's objects here,
/// or to an agent as a "work changed" on its status stream (it reads the work, applies it and reports). Objects a
/// placement no longer puts here stay listed for removal until the member reports them removed, so a member that
/// was away removes them when it is back.
/// </summary>
public sealed class PlacedWorkGrain(
    [PersistentState("work", StorageNames.Fleet)] IPersistentState<PlacedWorkState> state,
    ILogger<PlacedWorkGrain> logger) : Grain, IPlacedWorkGrain
{
    private string Cluster => this.GetPrimaryKeyString();

    public async Task Place(PlacedWork work)
    {
        var before = state.State.Works.GetValueOrDefault(work.Placement);
        state.State.Works[work.Placement] = work;
        await Changed(before?.Objects ?? []);
    }

    public async Task Unplace(string placement)
    {
        if (!state.State.Works.Remove(placement, out var before)) return;
        await Changed(before.Objects);
    }

    public Task<ClusterWork> Get() => Task.FromResult(Work());

    public async Task Report(ClusterWorkReport report)
    {
        var removed = report.Removed.Count(r => state.State.Remove.Remove(r));
        if (removed > 0) await state.WriteStateAsync();
        foreach (var placement in report.Placements.Where(p => state.State.Works.ContainsKey(p.Placement)))
            GrainFactory.GetGrain<IPlacementGrain>(placement.Placement).Report(Cluster, placement).Ignore();
    }

    /// <summary>Objects that were placed and no longer are (by any placement) are to be removed; then deliver.</summary>
    private async Task Changed(IReadOnlyList<ManifestObject> before)
    {
        var placed = state.State.Works.Values.SelectMany(w => w.Objects).Select(ResourceId.Of).ToHashSet();
        state.State.Remove.UnionWith(before.Select(ResourceId.Of).Where(r => !placed.Contains(r)));
        state.State.Remove.ExceptWith(placed);
        await state.WriteStateAsync();
        await Deliver();
    }

    private async Task Deliver()
    {
        var member = await GrainFactory.GetGrain<IMemberClusterGrain>(Cluster).Get();
        if (!member.Joined) return; // it gets its work when it joins again
        if (!member.Virtual)
        {
            await GrainFactory.GetGrain<IMemberClusterGrain>(Cluster).OnStatusChanged(new StatusChange(StatusKind.Work, new NamespacedName("", "")));
            return;
        }
        try
        {
            await Report(await GrainFactory.GetGrain<IVirtualClusterGrain>(Cluster).ApplyWork(Work()));
        }
        catch (Exception ex)
        {
            // The placement's status stays ApplyPending until a retry gets through.
            logger.LogWarning(ex, "Applying the work of virtual cluster {Cluster} failed; retrying", Cluster);
            _retry ??= this.RegisterGrainTimer(async _ =>
            {
                _retry?.Dispose();
                _retry = null;
                await Deliver();
            }, new GrainTimerCreationOptions(RetryAfter, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
    }

    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);
    private IGrainTimer? _retry;

    private ClusterWork Work() => new(Cluster, [.. state.State.Works.Values.OrderBy(w => w.Placement, StringComparer.Ordinal)], [.. state.State.Remove]);
}
