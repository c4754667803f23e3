namespace FleetL4.HubKubernetes;

/// <summary>
/// What the hub takes from its own API server: Namespaces, ClusterResourcePlacements, and the namespaced kinds a
/// placement carries to members. Each is one list/watch; deploy/hub/rbac.yaml grants get, list and watch on each.
/// ServiceExport is read in its storage version. Secrets are left out on purpose: the hub would need to read every
/// Secret of its cluster.
/// </summary>
public static class HubKinds
{
    public static readonly HubKind Namespaces = new(FleetApi.CoreGroup, FleetApi.V1, "namespaces", FleetApi.Namespace, Namespaced: false);

    public static readonly HubKind Placements = new(PlacementApi.Group, PlacementApi.Version, PlacementApi.Plural, PlacementApi.Kind, Namespaced: false);

    public static readonly IReadOnlyList<HubKind> All =
    [
        Namespaces,
        Placements,
        new(FleetApi.CoreGroup, FleetApi.V1, "services", FleetApi.Service, Namespaced: true),
        new(FleetApi.CoreGroup, FleetApi.V1, "configmaps", "ConfigMap", Namespaced: true),
        new(FleetApi.AppsGroup, FleetApi.V1, "deployments", "Deployment", Namespaced: true),
        new(FleetApi.NetworkingGroup, FleetApi.ServiceExportVersion, FleetApi.ServiceExports, FleetApi.ServiceExport, Namespaced: true),
        new(FleetApi.NetworkingGroup, FleetApi.MultiClusterServiceVersion, FleetApi.MultiClusterServices, FleetApi.MultiClusterService, Namespaced: true),
    ];

    public static HubKind? Of(string apiVersion, string kind) => All.FirstOrDefault(k => k.Is(apiVersion, kind));
}
