using FleetL4.Domain;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Grains;

/// <summary>A hub with a 600 ms lease (200 ms heartbeats, 3 missed).</summary>
public sealed class LeaseTests : IAsyncLifetime
{
    private FleetTestCluster _hub = null!;

    public async Task InitializeAsync() => _hub = await FleetTestCluster.StartAsync(o =>
    {
        o.HeartbeatInterval = TimeSpan.FromMilliseconds(200);
        o.MissedHeartbeats = 3;
    });

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task Lease_expiry_withdraws_a_silent_clusters_endpoints_and_a_heartbeat_restores_them()
    {
        const string ns = "lease";
        var fleet = _hub.Fleet;
        await fleet.JoinClusterAsync("live", Seed.EastUs);
        await fleet.JoinClusterAsync("silent", Seed.EastUs);
        await fleet.JoinClusterAsync("virtual", Seed.EastUs, isVirtual: true); // its objects live in the hub: no heartbeats needed
        using var stop = new CancellationTokenSource();
        var heartbeats = Task.Run(async () =>
        {
            // The live member heartbeats every 100 ms until the test ends (bounded by the token).
            while (!stop.IsCancellationRequested)
            {
                await fleet.HeartbeatAsync("live");
                await Task.Delay(100);
            }
        });
        try
        {
            await fleet.ReportServiceExportAsync("live", Seed.Export(ns, Seed.T0, Seed.Ready("10.61.0.1")));
            await fleet.ReportServiceExportAsync("silent", Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready("10.61.1.1")));
            await fleet.ReportServiceExportAsync("virtual", Seed.Export(ns, Seed.T0.AddSeconds(2), Seed.Ready("10.61.2.1")));
            await fleet.ApplyMultiClusterServiceAsync("live", Seed.Mcs(ns));
            var id = GrainKeys.MultiClusterService("live", ns, "kuard");
            var ip = (await Eventually.Get(() => fleet.GetMultiClusterServiceAsync("live", ns, "kuard"), m => m.ExternalIp is not null, "IP")).ExternalIp;

            // "silent" never heartbeats after joining: after 600 ms its endpoints leave; the virtual member's stay.
            await _hub.WaitForBackendsAsync(id, "10.61.0.1", "10.61.2.1");
            Assert.True((await fleet.GetMemberClusterAsync("virtual")).LeaseLive);
            var silent = await fleet.GetMemberClusterAsync("silent");
            Assert.False(silent.LeaseLive);
            var healthy = ConditionSet.Find(silent.Conditions, ConditionTypes.Healthy)!;
            Assert.Equal(("False", "LeaseExpired"), (healthy.Status, healthy.Reason));
            Assert.Contains((await fleet.GetServiceImportAsync(ns, "kuard")).Exports, e => e.Cluster == "silent" && e.State == "LeaseExpired");
            Assert.True((await fleet.GetMemberClusterAsync("live")).LeaseLive);

            await fleet.HeartbeatAsync("silent");
            await _hub.WaitForBackendsAsync(id, "10.61.0.1", "10.61.1.1", "10.61.2.1");
            Assert.Equal("True", ConditionSet.Find((await fleet.GetMemberClusterAsync("silent")).Conditions, ConditionTypes.Healthy)!.Status);
            Assert.Equal(ip, _hub.Provider.Inner.Find(id)!.FrontendIp);
        }
        finally
        {
            await stop.CancelAsync();
            await heartbeats;
        }
    }
}
