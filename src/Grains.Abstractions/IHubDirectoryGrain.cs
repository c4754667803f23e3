using Orleans.Concurrency;

namespace FleetL4;

/// <summary>
/// The hub's namespaces and placements (single key <see cref="GrainKeys.Hub"/>), and the fan-out that tells every
/// placement what changed: clusters (joined, left, relabelled) or a namespace's objects.
/// </summary>
[Alias("fleetl4.IHubDirectoryGrain")]
public interface IHubDirectoryGrain : IGrainWithStringKey
{
    public static readonly TimeSpan ObserverLifetime = TimeSpan.FromMinutes(5);

    [Alias("SetNamespace")] Task SetNamespace(string ns, bool present);
    [Alias("Namespaces")] Task<IReadOnlyList<string>> Namespaces();
    [Alias("SetPlacement")] Task SetPlacement(string name, bool present);
    [Alias("Placements")] Task<IReadOnlyList<string>> Placements();

    /// <summary>A cluster joined, left or changed its labels: every placement schedules again.</summary>
    [OneWay, Alias("ClustersChanged")] Task ClustersChanged();

    /// <summary>Objects of a namespace ("" cluster-scoped) changed: every placement selects again.</summary>
    [OneWay, Alias("ResourcesChanged")] Task ResourcesChanged(string ns);

    /// <summary>A placement's status changed: told to every observer.</summary>
    [OneWay, Alias("PlacementChanged")] Task PlacementChanged(string name);

    /// <summary>Subscribes (or renews) an observer of placement status; an entry not renewed within
    /// <see cref="ObserverLifetime"/> expires.</summary>
    [Alias("Watch")] Task Watch(IPlacementObserver observer);
    [Alias("Unwatch")] Task Unwatch(IPlacementObserver observer);
}
