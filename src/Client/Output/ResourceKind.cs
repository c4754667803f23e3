using FleetL4.Models;

namespace FleetL4.Client.Output;

/// <summary>The kinds `fleetl4 get` and `describe` know, with kubectl-style plural, singular and short names.</summary>
public enum ResourceKind { MemberCluster, ServiceExport, ServiceImport, MultiClusterService }

public static class ResourceKinds
{
    private static readonly Dictionary<string, ResourceKind> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["memberclusters"] = ResourceKind.MemberCluster, ["membercluster"] = ResourceKind.MemberCluster,
        ["clusters"] = ResourceKind.MemberCluster, ["cluster"] = ResourceKind.MemberCluster,
        ["serviceexports"] = ResourceKind.ServiceExport, ["serviceexport"] = ResourceKind.ServiceExport, ["svcexport"] = ResourceKind.ServiceExport,
        ["serviceimports"] = ResourceKind.ServiceImport, ["serviceimport"] = ResourceKind.ServiceImport, ["svcimport"] = ResourceKind.ServiceImport,
        ["multiclusterservices"] = ResourceKind.MultiClusterService, ["multiclusterservice"] = ResourceKind.MultiClusterService, ["mcs"] = ResourceKind.MultiClusterService,
    };

    public static ResourceKind Parse(string text) => Names.TryGetValue(text, out var kind)
        ? kind
        : throw new FleetValidationException("KIND", $"unknown resource type \"{text}\"; use memberclusters (clusters), serviceexports (svcexport), serviceimports (svcimport) or multiclusterservices (mcs)");

    public static string Plural(ResourceKind kind) => kind switch
    {
        ResourceKind.MemberCluster => "memberclusters",
        ResourceKind.ServiceExport => "serviceexports",
        ResourceKind.ServiceImport => "serviceimports",
        _ => "multiclusterservices",
    };
}
