namespace FleetL4.LoadBalancing.Azure.Balancers;

/// <summary>Spreads MCS frontends over the shared load balancers of the fleet (single key "placement").</summary>
[Alias("fleetl4.azure.IAzurePlacementGrain")]
public interface IAzurePlacementGrain : IGrainWithStringKey
{
    /// <summary>The load balancer name for the MCS, and the one it was on before when it moved.</summary>
    [Alias("Assign")] Task<(string LoadBalancer, string? Before)> Assign(string mcsId, bool isInternal, int rules);

    /// <summary>The load balancer the MCS was on, if any.</summary>
    [Alias("Release")] Task<string?> Release(string mcsId);

    [Alias("Find")] Task<string?> Find(string mcsId);

    /// <summary>Asks for this activation's one orphan sweep (after OrphanGracePeriod); later asks do nothing.</summary>
    [Alias("SweepOrphans")] Task SweepOrphans();
}
