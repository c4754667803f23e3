using Microsoft.Extensions.Logging;

namespace FleetL4.LoadBalancing.Azure.Balancers;

/// <summary>
/// When a silo starts, it asks the placement grain for its orphan sweep: a hub whose MCSes are all gone still
/// removes what a crash left behind. Every silo asks; the grain sweeps once per activation.
/// </summary>
public sealed class OrphanSweepStartup(IGrainFactory grains, ILogger<OrphanSweepStartup> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(OrphanSweepStartup), ServiceLifecycleStage.Active, async _ =>
        {
            try
            {
                await grains.GetGrain<IAzurePlacementGrain>(LoadBalancerPlacement.Key).SweepOrphans();
            }
            catch (Exception ex)
            {
                // Not a reason to stop the silo: the first MCS call asks again.
                logger.LogWarning(ex, "Could not ask for the Azure orphan sweep");
            }
        });
}
