namespace FleetL4;

/// <summary>Annotation and label keys FleetL4 reads or writes.</summary>
public static class FleetAnnotations
{
    /// <summary>On a ServiceExport: 0..1000, default 1; 0 drains the cluster.</summary>
    public const string Weight = "networking.fleet.azure.com/weight";

    /// <summary>On a MultiClusterService: "true" asks for an internal load balancer frontend.</summary>
    public const string InternalLoadBalancer = "networking.fleet.azure.com/azure-load-balancer-internal";

    /// <summary>An old Fleet doc told users to put the Service annotation on the MCS; accepting it is friendly.</summary>
    public const string LegacyInternalLoadBalancer = "service.beta.kubernetes.io/azure-load-balancer-internal";

    /// <summary>Which member cluster an object printed by the hub belongs to.</summary>
    public const string MemberCluster = "networking.fleet.azure.com/member-cluster";

    /// <summary>EndpointSlice label naming its Service.</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";
}
