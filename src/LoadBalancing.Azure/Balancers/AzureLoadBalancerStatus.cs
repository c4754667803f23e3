namespace FleetL4.LoadBalancing.Azure.Balancers;

/// <summary>What `describe mcs` shows about the shared load balancer an MCS is on.</summary>
/// <param name="LastWrite">What the last write was ("PUT pool fl4-...", "PUT loadBalancer"), null before the first.</param>
/// <param name="LastResult">"Succeeded" or the error of the last write.</param>
[GenerateSerializer, Immutable, Alias("fleetl4.azure.AzureLoadBalancerStatus")]
public sealed record AzureLoadBalancerStatus(
    [property: Id(0)] string LoadBalancerId,
    [property: Id(1)] string? LastWrite,
    [property: Id(2)] DateTimeOffset? LastWriteAt,
    [property: Id(3)] string? LastResult,
    [property: Id(4)] DateTimeOffset? ParkedUntil,
    [property: Id(5)] long Writes);
