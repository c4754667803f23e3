using FleetL4.Models;
using Orleans.Concurrency;

namespace FleetL4;

/// <summary>
/// One ClusterResourcePlacement (key: its name): schedules it onto clusters by its policy, selects the hub objects
/// its resourceSelectors name, hands each selected cluster its work, and keeps its conditions from the members'
/// reports. Scheduling and selection run again on every change pushed to it; nothing runs while nothing changes.
/// </summary>
[Alias("fleetl4.IPlacementGrain")]
public interface IPlacementGrain : IGrainWithStringKey
{
    /// <summary>Creates or changes the placement (a new spec is a new generation).</summary>
    [Alias("Apply")] Task<ManifestResult> Apply(ManifestObject placement);

    /// <summary>Removes the placement and, from every cluster, what it placed. False when there was none.</summary>
    [Alias("Delete")] Task<bool> Delete();

    [Alias("Get")] Task<PlacementView> Get();

    /// <summary>Clusters or hub objects changed: schedule and select again.</summary>
    [OneWay, Alias("Reconcile")] Task Reconcile();

    /// <summary>A cluster's result of applying this placement's work.</summary>
    [OneWay, Alias("Report")] Task Report(string cluster, WorkReport report);
}
