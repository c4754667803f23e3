namespace FleetL4.LoadBalancing.Azure.Balancers;

/// <summary>What the load balancer holds for one MCS once written: its frontend's private address (internal only).</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.azure.AzureFrontendResult")]
public sealed record AzureFrontendResult([property: Id(0)] string? PrivateIp);
