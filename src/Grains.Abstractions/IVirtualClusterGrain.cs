using FleetL4.Models;
using Orleans.Concurrency;

namespace FleetL4;

/// <summary>
/// A virtual member cluster of embedded mode (key: cluster name): it keeps the Kubernetes objects applied to it,
/// like a member's API server would, and turns them into hub calls with the same translation the Kubernetes
/// member agent uses. All objects of one call are checked before any is stored.
/// </summary>
[Alias("fleetl4.IVirtualClusterGrain")]
public interface IVirtualClusterGrain : IGrainWithStringKey
{
    [Alias("Apply")] Task<IReadOnlyList<ManifestResult>> Apply(IReadOnlyList<ManifestObject> objects);
    [Alias("Delete")] Task<IReadOnlyList<ManifestResult>> Delete(IReadOnlyList<ManifestObject> objects);
    [Alias("List")] Task<IReadOnlyList<ManifestObject>> List();

    /// <summary>Applies what placements put on this cluster, as the agent does on a real one: each object on its own
    /// (a failed one is reported, the others applied), and removes the objects in <see cref="ClusterWork.Remove"/>
    /// that a placement put here.</summary>
    [Alias("ApplyWork")] Task<ClusterWorkReport> ApplyWork(ClusterWork work);

    /// <summary>Sends one export's report again from the stored objects (the hub lost its latest; one-way, so the
    /// cluster grain that asks is never waiting when the report comes back through it).</summary>
    [OneWay, Alias("Resend")] Task Resend(NamespacedName export);
}
