namespace FleetL4.Members;

/// <summary>The kinds of objects FleetL4 acts on (ClusterResourcePlacement on the hub); everything else is kept but not acted on.</summary>
public enum MemberObjectKind { Other, Namespace, Service, EndpointSlice, ServiceExport, MultiClusterService, ClusterResourcePlacement }
