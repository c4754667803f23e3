namespace FleetL4;

/// <summary>
/// The frontend addresses of FleetL4:FrontendPool (single key <see cref="GrainKeys.Frontends"/>), for data planes whose
/// addresses the hub hands out (in-memory, local). One owner for all silos, in storage: two MCSes never get one address,
/// and an MCS keeps its address whichever silo it moves to.
/// </summary>
[Alias("fleetl4.IFrontendPoolGrain")]
public interface IFrontendPoolGrain : IGrainWithStringKey
{
    /// <summary>The address the load balancer holds in that family, else <paramref name="preferred"/> when free, else the lowest free one.</summary>
    [Alias("Reserve")] Task<string> Reserve(string loadBalancerId, bool ipv6, string? preferred);

    [Alias("Release")] Task Release(string loadBalancerId);
}
