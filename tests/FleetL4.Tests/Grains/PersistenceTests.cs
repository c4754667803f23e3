using FleetL4.Domain;
using FleetL4.LoadBalancing;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Grains;

public sealed class PersistenceTests
{
    [Fact]
    public async Task State_survives_grain_deactivation_an_abrupt_kill_of_the_silo_hosting_the_MCS_and_import_and_a_whole_hub_restart()
    {
        const string ns = "persist";
        var store = new SharedGrainStore();
        var id = GrainKeys.MultiClusterService("aks-member-1", ns, "kuard");
        const string exportKey = "serviceexport/aks-member-1/persist/kuard"; // its entry in the store, not the MCS's
        string? ip;

        var pins = new SiloPins();
        await using (var hub = await FleetTestCluster.StartAsync(store: store, configureSilo: pins.Configure))
        {
            var fleet = hub.Fleet;
            // The MCS and the import live on the secondary silo, the exports on the primary: killing the secondary
            // takes exactly the MCS and the import away, which must rebuild themselves from storage and the exports.
            var mcsGrain = hub.Grains.GetGrain<IMultiClusterServiceGrain>(id);
            var importGrain = hub.Grains.GetGrain<IServiceImportGrain>(GrainKeys.Import(ns, "kuard"));
            pins.Pin(mcsGrain, hub.Cluster.Silos[^1]);
            pins.Pin(importGrain, hub.Cluster.Silos[^1]);
            foreach (var cluster in new[] { "aks-member-1", "aks-member-2" })
                pins.Pin(hub.Grains.GetGrain<IServiceExportGrain>(GrainKeys.Export(cluster, ns, "kuard")), hub.Cluster.Silos[0]);
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
            var writes = store.Writes(exportKey);
            await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.81.0.1", "10.81.0.2", "10.81.0.3")));
            await hub.WaitForBackendsAsync(id, "10.81.0.1", "10.81.0.2", "10.81.0.3");
            // Endpoint-only changes are written behind (200 ms here): wait for that write, as a member resync would.
            await Eventually.True(() => store.Writes(exportKey) > writes, "endpoint change written behind");
            await AssertConflictStillDecided(hub);

            // The silo hosting the MCS and the import dies abruptly (no deactivation, nothing written on the way out);
            // both reactivate on the surviving silo: the MCS from storage, the import from storage and the exports.
            var killed = await pins.KillHostOfAsync(hub, mcsGrain, importGrain);
            var recovered = await Eventually.Get(() => SiloPins.Tolerant(() => fleet.GetMultiClusterServiceAsync("aks-member-1", ns, "kuard")),
                m => m is { LoadBalancerInSync: true }, "the MCS answering again after its silo died", TimeSpan.FromSeconds(30));
            Assert.Equal(ip, recovered!.ExternalIp);
            Assert.Equal(["10.81.0.1", "10.81.0.2", "10.81.0.3"], recovered.Backends.Select(b => b.Address).Order());
            Assert.Equal(3, (await fleet.GetServiceImportAsync(ns, "kuard")).BackendCount);
            await AssertConflictStillDecided(hub);
            var management = hub.Grains.GetGrain<IManagementGrain>(0);
            Assert.NotEqual(killed, await management.GetActivationAddress(mcsGrain));
            Assert.NotEqual(killed, await management.GetActivationAddress(importGrain));
            // The rebuilt chain (export -> import -> MCS -> provider) works: a change after the loss reaches the load balancer.
            writes = store.Writes(exportKey);
            await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.81.0.1", "10.81.0.3")));
            await hub.WaitForBackendsAsync(id, "10.81.0.1", "10.81.0.3");
            await Eventually.True(() => store.Writes(exportKey) > writes, "endpoint change written behind");
            Assert.Equal(ip, hub.Provider.Inner.Find(id)!.FrontendIp);
            await AssertConflictStillDecided(hub);
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
            await hub.WaitForBackendsAsync(id, "10.81.0.1", "10.81.0.3");
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
