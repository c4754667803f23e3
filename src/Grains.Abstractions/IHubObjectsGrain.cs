using FleetL4.Models;

namespace FleetL4;

/// <summary>
/// The hub's own objects of one namespace (key: the namespace; its Namespace object is kept here too), applied with
/// `fleetl4 apply` without --cluster or watched on the hub's Kubernetes API: what placements select. Stored with
/// generation, resourceVersion and creationTimestamp like an API server. Key "" holds cluster-scoped objects other
/// than Namespaces.
/// </summary>
[Alias("fleetl4.IHubObjectsGrain")]
public interface IHubObjectsGrain : IGrainWithStringKey
{
    /// <summary>Every object is checked before any is stored.</summary>
    [Alias("Apply")] Task<IReadOnlyList<ManifestResult>> Apply(IReadOnlyList<ManifestObject> objects);
    [Alias("Delete")] Task<IReadOnlyList<ManifestResult>> Delete(IReadOnlyList<ManifestObject> objects);
    [Alias("List")] Task<IReadOnlyList<ManifestObject>> List();

    /// <summary>This namespace's Namespace object, if it was applied (placements select namespaces by it).</summary>
    [Alias("NamespaceObject")] Task<ManifestObject?> NamespaceObject();
}
