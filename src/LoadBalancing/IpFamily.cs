namespace FleetL4.LoadBalancing;

/// <summary>The address family of a frontend and of the backends it sends to (Kubernetes' ipFamilies vocabulary).</summary>
public enum IpFamily { IPv4, IPv6 }
