using FleetL4.Models;

namespace FleetL4.Members;

/// <summary>Which <see cref="MemberObjectKind"/> an apiVersion and kind are, and how objects are named in messages.</summary>
public static class MemberObjectKinds
{
    public static MemberObjectKind Classify(string apiVersion, string kind) => (apiVersion, kind) switch
    {
        (FleetApi.CoreV1, FleetApi.Namespace) => MemberObjectKind.Namespace,
        (FleetApi.CoreV1, FleetApi.Service) => MemberObjectKind.Service,
        (FleetApi.DiscoveryV1, FleetApi.EndpointSlice) => MemberObjectKind.EndpointSlice,
        (FleetApi.NetworkingV1Alpha1 or FleetApi.NetworkingV1Beta1, FleetApi.ServiceExport) => MemberObjectKind.ServiceExport,
        (FleetApi.NetworkingV1Alpha1, FleetApi.MultiClusterService) => MemberObjectKind.MultiClusterService,
        _ => MemberObjectKind.Other,
    };

    public static MemberObjectKind Classify(ManifestObject o) => Classify(o.ApiVersion, o.Kind);

    /// <summary>Cluster-scoped kinds carry no namespace; everything else defaults to "default", as kubectl does.</summary>
    public static bool IsClusterScoped(ManifestObject o) =>
        Classify(o) == MemberObjectKind.Namespace || o.Kind is "ClusterResourcePlacement" or "CustomResourceDefinition" or "ClusterRole" or "ClusterRoleBinding";

    public static string Describe(ManifestObject o) => $"{o.Kind} {(o.Namespace is null ? "" : o.Namespace + "/")}{o.Name}";
}
