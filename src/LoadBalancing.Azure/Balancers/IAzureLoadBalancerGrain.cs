using FleetL4.LoadBalancing.Azure.Model;
using Orleans.Concurrency;

namespace FleetL4.LoadBalancing.Azure.Balancers;

/// <summary>
/// One shared Azure load balancer (key: its name). It alone writes to it, so at most one write is in flight (a
/// pool PUT and an LB PUT on one LB cancel each other); MCSes send it desired state and it coalesces.
/// </summary>
[Alias("fleetl4.azure.IAzureLoadBalancerGrain")]
public interface IAzureLoadBalancerGrain : IGrainWithStringKey
{
    /// <summary>Sets what one MCS wants; returns the ticket to wait for.</summary>
    [Alias("Set")] Task<AzureLoadBalancerTicket> Set(AzureFrontendSpec spec);

    /// <summary>Takes one MCS off; returns the ticket to wait for.</summary>
    [Alias("Remove")] Task<AzureLoadBalancerTicket> Remove(string mcsId);

    /// <summary>Completes once a write (or a check) covering <paramref name="ticket"/> has succeeded; throws after
    /// <paramref name="timeout"/> with the last error, and at once when the ticket is of an earlier activation.
    /// Interleaves: it only waits. Ends when the caller cancels or this silo stops.</summary>
    [AlwaysInterleave, Alias("WaitFor")]
    Task<AzureFrontendResult> WaitFor(string mcsId, AzureLoadBalancerTicket ticket, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>The hub's one orphan sweep after a start: owners have had since <paramref name="since"/> to re-apply,
    /// so read the LB and remove parts no MCS claims (the LB too when nothing is left).</summary>
    [Alias("Sweep")] Task Sweep(DateTimeOffset since);

    [AlwaysInterleave, Alias("Describe")] Task<AzureLoadBalancerStatus> Describe();
}
