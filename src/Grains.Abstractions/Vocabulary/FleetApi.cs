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

    public const string MemberClusterApiVersion = "cluster.kubernetes-fleet.io/v1";
    public const string DiscoveryV1 = "discovery.k8s.io/v1";
    public const string CoreV1 = "v1";

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

    /// <summary>The API group of an apiVersion ("" for the core group).</summary>
    public static string GroupOf(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/');
        return slash < 0 ? "" : apiVersion[..slash];
    }
}
