namespace FleetL4.LoadBalancing;

/// <summary>
/// The one seam between the control plane and a data plane (in-memory, local L4, Azure Load Balancer).
/// Calls for one load balancer are never concurrent: the MCS grain keeps at most one in flight.
/// </summary>
public interface ILoadBalancerProvider
{
    /// <summary>Creates or updates the frontend, its ports and its backends; returns the frontend IP, which must
    /// equal <see cref="LoadBalancerSpec.FrontendIp"/> when that is set.</summary>
    Task<string> EnsureAsync(LoadBalancerSpec spec, CancellationToken cancellationToken);

    /// <summary>True when the hub hands out the frontend addresses (FleetL4:FrontendPool, one owner for every silo) and
    /// each spec carries its own; false when the data plane assigns them (Azure public IPs).</summary>
    bool UsesHubFrontendPool => false;

    /// <summary>Removes the load balancer and frees its frontend IP. Deleting one that does not exist succeeds.</summary>
    Task DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>What the data plane holds for this load balancer, one line each, for `describe mcs`.</summary>
    Task<IReadOnlyList<string>> DescribeAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}
