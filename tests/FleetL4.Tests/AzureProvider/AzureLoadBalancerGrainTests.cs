using FleetL4.FakeArm;
using FleetL4.LoadBalancing.Azure;
using FleetL4.LoadBalancing.Azure.Balancers;
using FleetL4.LoadBalancing.Azure.Model;
using FleetL4.Tests.Infrastructure;
using Orleans.Core.Internal;
using static FleetL4.Tests.AzureProvider.AzureProviderTests;

namespace FleetL4.Tests.AzureProvider;

/// <summary>The grain that owns an Azure LB while an MCS waits for it, when that activation or its silo ends.</summary>
public sealed class AzureLoadBalancerGrainTests
{
    private const string Id = "aks-member-9/grain-test/kuard";
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(2);

    private static AzureFrontendSpec Spec(params string[] backends) =>
        new(Id, AzureNames.ForMcs(Id), null, null, [new AzurePort(80, "TCP", 8080)], backends, "None");

    [Fact]
    public async Task A_wait_that_reaches_a_new_activation_fails_at_once_and_the_change_sent_again_lands()
    {
        var (arm, hub) = await Start();
        await using (arm)
        await using (hub)
        {
            var lb = hub.Cluster.Client.GetGrain<IAzureLoadBalancerGrain>("fleetl4-internal");
            await lb.WaitFor(Id, await lb.Set(Spec("10.224.9.1")), Long);

            // The change is taken by one activation, the wait reaches the next: endpoints are not stored on every
            // change, so the next one may not hold it. It says so instead of waiting for the timeout.
            var ticket = await lb.Set(Spec("10.224.9.2"));
            await lb.Cast<IGrainManagementExtension>().DeactivateOnIdle();
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => lb.WaitFor(Id, ticket, Long));
            Assert.Equal("load balancer fleetl4-internal was restarted before it took the change; the change is sent again", ex.Message);

            await lb.WaitFor(Id, await lb.Set(Spec("10.224.9.2")), Long);
            Assert.Equal(["10.224.9.2"], PoolAddresses(hub.InternalLb, AzureNames.ForMcs(Id)));
            Assert.Empty(arm.Violations);
        }
    }

    [Fact]
    public async Task The_hub_stops_within_seconds_while_a_wait_on_a_parked_load_balancer_runs()
    {
        await using var arm = await FakeArmServer.StartAsync();
        var hub = await AzureHub.StartAsync(arm);
        var lb = hub.Cluster.Client.GetGrain<IAzureLoadBalancerGrain>("fleetl4-internal");
        await lb.WaitFor(Id, await lb.Set(Spec("10.224.9.1")), Long);
        var injected = arm.Inject(FakeArmFault.Throttled(Long) with { Method = "PUT", Path = "/loadBalancers/fleetl4-internal/", Times = 1 });
        var waiting = lb.WaitFor(Id, await lb.Set(Spec("10.224.9.3")), Long);
        await Eventually.True(() => injected.Hits == 1, "the 429 on the pool");

        // Silos wait for running calls when they stop: this one ends with its silo, not after the two-minute park.
        var stopping = hub.DisposeAsync().AsTask();
        Assert.True(await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(15))) == stopping, "the hub did not stop within 15 s");
        await stopping;
        await Assert.ThrowsAnyAsync<Exception>(() => waiting);
        Assert.Empty(arm.Violations);
    }
}
