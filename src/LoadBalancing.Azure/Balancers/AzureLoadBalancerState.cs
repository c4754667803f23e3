using FleetL4.LoadBalancing.Azure.Model;

namespace FleetL4.LoadBalancing.Azure.Balancers;

/// <summary>What a load balancer grain keeps across silo loss: which MCSes are on it and their structure.</summary>
[GenerateSerializer, Alias("fleetl4.azure.AzureLoadBalancerState")]
public sealed class AzureLoadBalancerState
{
    [Id(0)] public Dictionary<string, AzureFrontendSpec> Specs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>When this grain first found the load balancer without knowing its owners (orphans wait until then + grace).</summary>
    [Id(1)] public DateTimeOffset AdoptedAt { get; set; }

    /// <summary>Names of MCSes taken off this LB whose parts may still be on it.</summary>
    [Id(2)] public HashSet<string> Released { get; set; } = new(StringComparer.Ordinal);

    /// <summary>No call on this LB before then (a 429's or a busy answer's Retry-After), kept so a new activation waits too.</summary>
    [Id(3)] public DateTimeOffset? ParkedUntil { get; set; }
}
