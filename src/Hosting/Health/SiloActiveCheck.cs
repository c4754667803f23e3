using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FleetL4.Hosting.Health;

/// <summary>Ready only while this silo is Active in the cluster's membership: joining, shutting down or declared dead,
/// it cannot host grains, and a load balancer in front of the hub API should send its calls elsewhere.</summary>
public sealed class SiloActiveCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"silo {silo.SiloAddress} is {status} in the cluster, not Active"));
    }
}
