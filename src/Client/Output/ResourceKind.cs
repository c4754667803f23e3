using FleetL4.Models;

namespace FleetL4.Client.Output;

/// <summary>The kinds `fleetl4 get` and `describe` know, with kubectl-style plural, singular and short names. Any
/// other KIND word names stored objects (<see cref="StoredKind"/>).</summary>
public enum ResourceKind { MemberCluster, ServiceExport, ServiceImport, MultiClusterService, ClusterResourcePlacement }

public static class ResourceKinds
{
    private static readonly Dictionary<string, ResourceKind> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        [FleetApi.MemberClusters] = ResourceKind.MemberCluster, [FleetApi.MemberCluster] = ResourceKind.MemberCluster,
        ["clusters"] = ResourceKind.MemberCluster, ["cluster"] = ResourceKind.MemberCluster,
        [FleetApi.ServiceExports] = ResourceKind.ServiceExport, [FleetApi.ServiceExport] = ResourceKind.ServiceExport, ["svcexport"] = ResourceKind.ServiceExport,
        [FleetApi.ServiceImports] = ResourceKind.ServiceImport, [FleetApi.ServiceImport] = ResourceKind.ServiceImport, ["svcimport"] = ResourceKind.ServiceImport,
        [FleetApi.MultiClusterServices] = ResourceKind.MultiClusterService, [FleetApi.MultiClusterService] = ResourceKind.MultiClusterService, ["mcs"] = ResourceKind.MultiClusterService,
        [PlacementApi.Plural] = ResourceKind.ClusterResourcePlacement, [PlacementApi.Kind] = ResourceKind.ClusterResourcePlacement,
        [PlacementApi.ShortName] = ResourceKind.ClusterResourcePlacement,
        [$"{PlacementApi.Plural}.{PlacementApi.Group}"] = ResourceKind.ClusterResourcePlacement,
    };

    public static bool TryParse(string text, out ResourceKind kind) => Names.TryGetValue(text, out kind);

    private const string Kinds = "memberclusters (clusters), serviceexports (svcexport), serviceimports (svcimport), multiclusterservices (mcs)";

    /// <summary>A kind `describe` knows.</summary>
    public static ResourceKind Parse(string text) => TryParse(text, out var kind)
        ? kind
        : throw new FleetValidationException("KIND", $"unknown resource type \"{text}\"; use {Kinds} or clusterresourceplacements (crp)");

    /// <summary>A word `get` found neither among its kinds nor among the stored objects.</summary>
    public static FleetValidationException Unknown(string text) => new("KIND",
        $"unknown resource type \"{text}\"; use {Kinds}, clusterresourceplacements (crp), or the kind of an object applied to the hub " +
        "(or, with --cluster, to that member): namespaces (ns), services (svc), deployments (deploy), configmaps (cm), ...");

    public static string Plural(ResourceKind kind) => kind switch
    {
        ResourceKind.MemberCluster => FleetApi.MemberClusters,
        ResourceKind.ServiceExport => FleetApi.ServiceExports,
        ResourceKind.ServiceImport => FleetApi.ServiceImports,
        ResourceKind.ClusterResourcePlacement => $"{PlacementApi.Plural}.{PlacementApi.Group}",
        _ => FleetApi.MultiClusterServices,
    };
}
