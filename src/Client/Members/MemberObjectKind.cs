using FleetL4.Models;

namespace FleetL4.Client.Members;

/// <summary>The kinds of member objects FleetL4 acts on; everything else is kept but not acted on.</summary>
public enum MemberObjectKind { Other, Namespace, Service, EndpointSlice, ServiceExport, MultiClusterService }

public static class MemberObjectKinds
{
    public static MemberObjectKind Classify(string apiVersion, string kind) => (apiVersion, kind) switch
    {
        ("v1", "Namespace") => MemberObjectKind.Namespace,
        ("v1", "Service") => MemberObjectKind.Service,
        ("discovery.k8s.io/v1", "EndpointSlice") => MemberObjectKind.EndpointSlice,
        ("networking.fleet.azure.com/v1alpha1" or "networking.fleet.azure.com/v1beta1", "ServiceExport") => MemberObjectKind.ServiceExport,
        ("networking.fleet.azure.com/v1alpha1", "MultiClusterService") => MemberObjectKind.MultiClusterService,
        _ => MemberObjectKind.Other,
    };

    public static MemberObjectKind Classify(ManifestObject o) => Classify(o.ApiVersion, o.Kind);

    /// <summary>Cluster-scoped kinds carry no namespace; everything else defaults to "default", as kubectl does.</summary>
    public static bool IsClusterScoped(ManifestObject o) =>
        Classify(o) == MemberObjectKind.Namespace || o.Kind is "ClusterResourcePlacement" or "CustomResourceDefinition" or "ClusterRole" or "ClusterRoleBinding";

    public static string Describe(ManifestObject o) => $"{o.Kind} {(o.Namespace is null ? "" : o.Namespace + "/")}{o.Name}";
}
