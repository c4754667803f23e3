using FleetL4.Models;

namespace FleetL4.Members;

/// <summary>Which <see cref="IHubObjectsGrain"/> keeps a hub object: its namespace's, its own for a Namespace, or
/// <see cref="GrainKeys.ClusterScoped"/> for other cluster-scoped kinds.</summary>
public static class HubObjectScope
{
    public static string Of(ManifestObject o) =>
        o.Kind == FleetApi.Namespace && o.ApiVersion == FleetApi.CoreV1 ? o.Name
        : MemberObjectKinds.IsClusterScoped(o) ? GrainKeys.ClusterScoped
        : string.IsNullOrEmpty(o.Namespace) ? "default" : o.Namespace;
}
