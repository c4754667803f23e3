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

    /// <summary>On a member's ServiceImport: its name (also Fleet's label on the MCS that imports it).</summary>
    public const string ServiceImportLabel = "networking.fleet.azure.com/service-import";

    /// <summary>On a member's ServiceImport: the MultiClusterService that controls it (Fleet's label on its derived Service).</summary>
    public const string MultiClusterServiceLabel = "networking.fleet.azure.com/multi-cluster-service-name";

    /// <summary>kubectl apply's copy of the whole object it applied.</summary>
    public const string LastAppliedConfiguration = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>The Deployment controller's revision counter.</summary>
    public const string DeploymentRevision = "deployment.kubernetes.io/revision";
}
