using FleetL4.Models;

namespace FleetL4.Members.Validation;

/// <summary>
/// The kinds FleetL4 acts on and the apiVersions it serves for each, spelled once (classification reads it too).
/// A kind we act on in an apiVersion we do not serve is refused, not stored with a warning: the user meant the
/// kind we act on (a <c>v1 ServiceExport</c> is a typo, not another resource) and would believe it applied.
/// </summary>
public static class ServedApiVersions
{
    private sealed record Served(string Kind, MemberObjectKind Member, bool AnyGroup, params string[] ApiVersions);

    /// <summary>ServiceExport and MultiClusterService are refused in every other group (they are the MCS API's
    /// names), ClusterResourcePlacement too (Fleet's old <c>fleet.azure.com/v1alpha1</c> is no longer served); Service, Namespace and EndpointSlice only in Kubernetes' own groups (a Knative
    /// <c>serving.knative.dev/v1 Service</c> is another resource, stored with a warning).</summary>
    private static readonly Served[] Kinds =
    [
        new(FleetApi.Namespace, MemberObjectKind.Namespace, false, FleetApi.CoreV1),
        new(FleetApi.Service, MemberObjectKind.Service, false, FleetApi.CoreV1),
        new(FleetApi.EndpointSlice, MemberObjectKind.EndpointSlice, false, FleetApi.DiscoveryV1),
        new(FleetApi.ServiceExport, MemberObjectKind.ServiceExport, true, FleetApi.NetworkingV1Alpha1, FleetApi.NetworkingV1Beta1),
        new(FleetApi.MultiClusterService, MemberObjectKind.MultiClusterService, true, FleetApi.NetworkingV1Alpha1),
        new(PlacementApi.Kind, MemberObjectKind.ClusterResourcePlacement, true, PlacementApi.ApiVersion),
    ];

    public static MemberObjectKind Classify(string apiVersion, string kind) =>
        Kinds.FirstOrDefault(k => k.Kind == kind && k.ApiVersions.Contains(apiVersion))?.Member ?? MemberObjectKind.Other;

    /// <summary>Throws naming apiVersion when <paramref name="kind"/> is one we act on and the version is not served.</summary>
    public static void Require(string apiVersion, string kind)
    {
        if (Kinds.FirstOrDefault(k => k.Kind == kind) is not { } served || served.ApiVersions.Contains(apiVersion)) return;
        if (!served.AnyGroup && !IsKubernetesGroup(FleetApi.GroupOf(apiVersion))) return;
        throw new FleetValidationException("apiVersion",
            $"{Domain.NameRules.Display(apiVersion)} is not served for {kind}; served: {string.Join(", ", served.ApiVersions)}");
    }

    /// <summary>The core group and the groups Kubernetes owns (*.k8s.io, *.x-k8s.io).</summary>
    private static bool IsKubernetesGroup(string group) =>
        group.Length == 0 || group == "k8s.io" || group.EndsWith(".k8s.io", StringComparison.Ordinal) || group.EndsWith("-k8s.io", StringComparison.Ordinal);
}
