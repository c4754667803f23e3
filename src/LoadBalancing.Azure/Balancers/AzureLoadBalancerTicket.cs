namespace FleetL4.LoadBalancing.Azure.Balancers;

/// <summary>What an MCS waits for after it sent its desired state: a generation of one activation of the LB grain.
/// Generations restart with each activation (endpoints are not stored on every change), so a wait that reaches
/// another activation cannot be answered from its numbers: it fails at once and the MCS sends its state again.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.azure.AzureLoadBalancerTicket")]
public readonly record struct AzureLoadBalancerTicket([property: Id(0)] Guid Activation, [property: Id(1)] long Generation);
