namespace FleetL4.Models;

/// <summary>A MultiClusterService with its status: the frontend IP, the Valid condition and the load balancer state.</summary>
/// <param name="LoadBalancerInSync">The provider holds the newest desired state.</param>
/// <param name="LoadBalancerError">The last provider error while not in sync, else null.</param>
/// <param name="IpFamily">The frontend's address family: IPv4, or IPv6 when every backend is IPv6.</param>
/// <param name="LoadBalancerDetails">What the provider holds for it (Azure: resources, last write and result, parked-until), one line each.</param>
[GenerateSerializer, Immutable, Alias("fleetl4.MultiClusterServiceView")]
public sealed record MultiClusterServiceView(
    string Cluster,
    string Namespace,
    string Name,
    bool Exists,
    string ServiceImportName,
    bool Internal,
    string? ExternalIp,
    DateTimeOffset CreationTimestamp,
    IReadOnlyList<Condition> Conditions,
    ImportInfo Import,
    IReadOnlyList<Backend> Backends,
    bool LoadBalancerInSync,
    string? LoadBalancerError,
    string IpFamily = "IPv4",
    IReadOnlyList<string>? LoadBalancerDetails = null);
