namespace FleetL4.Members;

/// <summary>The kinds of member objects FleetL4 acts on; everything else is kept but not acted on.</summary>
public enum MemberObjectKind { Other, Namespace, Service, EndpointSlice, ServiceExport, MultiClusterService, ClusterResourcePlacement }
