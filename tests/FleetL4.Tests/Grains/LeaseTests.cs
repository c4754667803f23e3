using FleetL4.Domain;
using FleetL4.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace FleetL4.Tests.Grains;

/// <summary>
/// A hub whose grains run on a clock the test moves, with the shipped lease (10 s heartbeats, 3 missed = 30 s):
/// expiry is decided by the clock, not by how busy the machine is.
/// </summary>
public sealed class LeaseTests : IAsyncLifetime
{
    private static readonly TimeSpan Heartbeat = new FleetOptions().HeartbeatInterval;
    private static readonly TimeSpan Lease = LeaseRule.Duration(Heartbeat, new FleetOptions().MissedHeartbeats);
    private readonly FakeTimeProvider _clock = new(Seed.T0);
    private FleetTestCluster _hub = null!;

    public async Task InitializeAsync() => _hub = await FleetTestCluster.StartAsync(
        o => (o.HeartbeatInterval, o.MissedHeartbeats) = (new FleetOptions().HeartbeatInterval, new FleetOptions().MissedHeartbeats),
        grainClock: _clock);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task Lease_expiry_withdraws_a_silent_clusters_endpoints_and_a_heartbeat_restores_them()
    {
        const string ns = "lease";
        var fleet = _hub.Fleet;
        await fleet.JoinClusterAsync("live", Seed.EastUs);
        await fleet.JoinClusterAsync("silent", Seed.EastUs);
        await fleet.JoinClusterAsync("virtual", Seed.EastUs, isVirtual: true); // its objects live in the hub: no heartbeats needed
        await fleet.ReportServiceExportAsync("live", Seed.Export(ns, Seed.T0, Seed.Ready("10.61.0.1")));
        await fleet.ReportServiceExportAsync("silent", Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready("10.61.1.1")));
        await fleet.ReportServiceExportAsync("virtual", Seed.Export(ns, Seed.T0.AddSeconds(2), Seed.Ready("10.61.2.1")));
        await fleet.ApplyMultiClusterServiceAsync("live", Seed.Mcs(ns));
        var id = GrainKeys.MultiClusterService("live", ns, "kuard");
        await _hub.WaitForBackendsAsync(_clock, id, "10.61.0.1", "10.61.1.1", "10.61.2.1");
        var ip = _hub.Provider.Inner.Find(id)!.FrontendIp;

        // From one instant on, "live" heartbeats on time and "silent" never again: up to the lease's last instant
        // nobody lapses.
        var lastBeat = _clock.GetUtcNow();
        await fleet.HeartbeatAsync("live");
        await fleet.HeartbeatAsync("silent");
        for (var at = lastBeat + Heartbeat; at <= lastBeat + Lease; at += Heartbeat)
        {
            _clock.SetUtcNow(at);
            await fleet.HeartbeatAsync("live");
        }
        Assert.True((await fleet.GetMemberClusterAsync("silent")).LeaseLive, "the lease lives through its last instant");
        Assert.Equal("10.61.0.1,10.61.1.1,10.61.2.1", _hub.HeldBackends(id));

        // A moment past it, the silent cluster's endpoints leave; the live and the virtual member's stay.
        _clock.Advance(TimeSpan.FromMilliseconds(5));
        await _hub.WaitForBackendsAsync(_clock, id, "10.61.0.1", "10.61.2.1");
        var silent = await fleet.GetMemberClusterAsync("silent");
        Assert.False(silent.LeaseLive);
        var healthy = ConditionSet.Find(silent.Conditions, ConditionTypes.Healthy)!;
        Assert.Equal(("False", "LeaseExpired"), (healthy.Status, healthy.Reason));
        Assert.Equal("no heartbeat from cluster silent for 30s (3 missed); its endpoints are withdrawn", healthy.Message);
        Assert.Contains((await fleet.GetServiceImportAsync(ns, "kuard")).Exports, e => e.Cluster == "silent" && e.State == "LeaseExpired");
        Assert.True((await fleet.GetMemberClusterAsync("live")).LeaseLive);

        // Five minutes on, the heartbeating member and the virtual one (nobody heartbeats for it) are still live.
        for (var i = 0; i < 30; i++)
        {
            _clock.Advance(Heartbeat);
            await fleet.HeartbeatAsync("live");
        }
        Assert.True((await fleet.GetMemberClusterAsync("virtual")).LeaseLive);
        Assert.True((await fleet.GetMemberClusterAsync("live")).LeaseLive);
        Assert.Equal("10.61.0.1,10.61.2.1", _hub.HeldBackends(id));

        // One heartbeat brings the silent cluster back, on the same frontend.
        await fleet.HeartbeatAsync("silent");
        await _hub.WaitForBackendsAsync(_clock, id, "10.61.0.1", "10.61.1.1", "10.61.2.1");
        Assert.Equal("True", ConditionSet.Find((await fleet.GetMemberClusterAsync("silent")).Conditions, ConditionTypes.Healthy)!.Status);
        Assert.Equal(ip, _hub.Provider.Inner.Find(id)!.FrontendIp);
    }

}
