namespace FleetL4;

/// <summary>API groups, versions and kinds of the objects FleetL4 reads and writes, spelled once.</summary>
public static class FleetApi
{
    public const string NetworkingGroup = "networking.fleet.azure.com";
    public const string V1Alpha1 = "v1alpha1";
    public const string V1Beta1 = "v1beta1";

    /// <summary>The version FleetL4 writes: ServiceExport is stored as v1beta1; ServiceImport and MCS exist as v1alpha1 only.</summary>
    public const string ServiceExportVersion = V1Beta1;
    public const string ServiceImportVersion = V1Alpha1;
    public const string MultiClusterServiceVersion = V1Alpha1;

    public const string NetworkingV1Alpha1 = NetworkingGroup + "/" + V1Alpha1;
    public const string NetworkingV1Beta1 = NetworkingGroup + "/" + V1Beta1;

    public static readonly string ServiceExportApiVersion = ApiVersion(NetworkingGroup, ServiceExportVersion);
    public static readonly string ServiceImportApiVersion = ApiVersion(NetworkingGroup, ServiceImportVersion);
    public static readonly string MultiClusterServiceApiVersion = ApiVersion(NetworkingGroup, MultiClusterServiceVersion);

    public const string MemberClusterApiVersion = "cluster.kubernetes-fleet.io/v1";
    public const string DiscoveryGroup = "discovery.k8s.io";
    public const string DiscoveryV1 = DiscoveryGroup + "/" + V1;
    public const string AppsGroup = "apps";

    /// <summary>The core group ("") and its one version; the core group's apiVersion is the bare version.</summary>
    public const string CoreGroup = "";
    public const string V1 = "v1";
    public const string CoreV1 = V1;

    public const string ServiceExport = "ServiceExport";
    public const string ServiceImport = "ServiceImport";
    public const string MultiClusterService = "MultiClusterService";
    public const string MemberCluster = "MemberCluster";
    public const string Service = "Service";
    public const string EndpointSlice = "EndpointSlice";
    public const string Namespace = "Namespace";

    public const string ServiceExports = "serviceexports";
    public const string ServiceImports = "serviceimports";
    public const string MultiClusterServices = "multiclusterservices";
    public const string MemberClusters = "memberclusters";

    /// <summary>The apiVersion of a group and version: "group/version", or the bare version for the core group.</summary>
    public static string ApiVersion(string group, string version) => group.Length == 0 ? version : $"{group}/{version}";

    /// <summary>The API group of an apiVersion ("" for the core group).</summary>
    public static string GroupOf(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/');
        return slash < 0 ? CoreGroup : apiVersion[..slash];
    }

    /// <summary>The version of an apiVersion ("v1" of "apps/v1" and of "v1").</summary>
    public static string VersionOf(string apiVersion) => apiVersion[(apiVersion.IndexOf('/') + 1)..];
}
