using FleetL4.Domain;
using FleetL4.LoadBalancing;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Grains;

public sealed class PersistenceTests
{
    [Fact]
    public async Task State_survives_grain_deactivation_a_silo_restart_and_a_whole_hub_restart()
    {
        const string ns = "persist";
        var store = new SharedGrainStore();
        var id = GrainKeys.MultiClusterService("aks-member-1", ns, "kuard");
        string? ip;

        await using (var hub = await FleetTestCluster.StartAsync(store: store))
        {
            var fleet = hub.Fleet;
            await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
            await fleet.JoinClusterAsync("aks-member-2", Seed.EastUs);
            await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.81.0.1")));
            await fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready("10.81.1.1"),
                Seed.Kuard(new Models.ServicePort(null, "TCP", 9999))));
            await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
            await hub.WaitForBackendsAsync(id, "10.81.0.1");
            // An endpoint-only change, persisted behind.
            await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.81.0.1", "10.81.0.2")));
            await hub.WaitForBackendsAsync(id, "10.81.0.1", "10.81.0.2");
            ip = hub.Provider.Inner.Find(id)!.FrontendIp;

            // Idle grains (exports, the import) are deactivated: the import rebuilds itself from the exports.
            await hub.DeactivateIdleGrainsAsync();
            var writes = store.Writes("aks-member-1/persist/kuard");
            await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.81.0.1", "10.81.0.2", "10.81.0.3")));
            await hub.WaitForBackendsAsync(id, "10.81.0.1", "10.81.0.2", "10.81.0.3");
            // Endpoint-only changes are written behind (200 ms here): wait for that write, as a member resync would.
            await Eventually.True(() => store.Writes("aks-member-1/persist/kuard") > writes, "endpoint change written behind");
            await AssertConflictStillDecided(hub);

            // A secondary silo goes away and comes back; grains it hosted reactivate elsewhere from storage.
            var secondary = hub.Cluster.Silos[^1];
            await hub.Cluster.StopSiloAsync(secondary);
            await hub.Cluster.StartAdditionalSiloAsync();
            await AssertConflictStillDecided(hub);
            Assert.Equal(3, (await fleet.GetServiceImportAsync(ns, "kuard")).BackendCount);
        }

        // The whole hub restarts on the same store with an empty data plane: the MCS adopts its old IP
        // and the load balancer is rebuilt with the same backends.
        var freshProvider = new ControllableProvider(new InMemoryLoadBalancerProvider("127.0.100.0/24"));
        await using (var hub = await FleetTestCluster.StartAsync(store: store, provider: freshProvider))
        {
            var member = await hub.Fleet.GetMemberClusterAsync("aks-member-1");
            Assert.True(member.Joined);
            Assert.Equal("eastus", member.Labels["fleet.azure.com/location"]);
            var mcs = await hub.Fleet.GetMultiClusterServiceAsync("aks-member-1", ns, "kuard");
            Assert.Equal(ip, mcs.ExternalIp);
            await hub.WaitForBackendsAsync(id, "10.81.0.1", "10.81.0.2", "10.81.0.3");
            Assert.Equal(ip, freshProvider.Inner.Find(id)!.FrontendIp);
            await AssertConflictStillDecided(hub);
        }
    }

    private static async Task AssertConflictStillDecided(FleetTestCluster hub)
    {
        var winner = await hub.Fleet.GetServiceExportAsync("aks-member-1", "persist", "kuard");
        var loser = await hub.Fleet.GetServiceExportAsync("aks-member-2", "persist", "kuard");
        Assert.Equal(Seed.T0, winner.CreationTimestamp);
        var won = ConditionSet.Find(winner.Conditions, ConditionTypes.Conflict)!;
        Assert.Equal(("True", "ConflictFound"), (won.Status, won.Reason));
        Assert.Contains("this export is the oldest and is the one in use", won.Message, StringComparison.Ordinal);
        var lost = ConditionSet.Find(loser.Conditions, ConditionTypes.Conflict)!;
        Assert.Equal(("True", "ConflictFound"), (lost.Status, lost.Reason));
        Assert.Contains("in cluster \"aks-member-1\"", lost.Message, StringComparison.Ordinal);
    }
}
