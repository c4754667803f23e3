using FleetL4.Domain;
using FleetL4.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace FleetL4.Tests.Kubernetes;

/// <summary>
/// A member's API server outage, on one clock the test moves for the agent (its outage bound), the hub's grains
/// (the lease) and the hub's status streams (the renewals): the shipped lease (30 s) and a 60 s bound, decided by the
/// clock rather than by how busy the machine is. Sockets (the fake API server, the hub API) stay real.
/// </summary>
public sealed class AgentOutageTests : IAsyncLifetime
{
    private static readonly FleetOptions Shipped = new();
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly string _workDir = Directory.CreateTempSubdirectory("fleetl4-outage-").FullName;
    private ApiHub _hub = null!;

    public async Task InitializeAsync() => _hub = await ApiHub.StartAsync(_clock);

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        Directory.Delete(_workDir, recursive: true);
    }

    [Fact]
    public async Task An_API_server_outage_keeps_endpoints_until_the_bound_then_withdraws_and_restores_them()
    {
        const string ns = "outage";
        var lease = LeaseRule.Duration(Shipped.HeartbeatInterval, Shipped.MissedHeartbeats);
        Assert.True(Bound > lease, "the test needs a bound longer than the lease");
        await using var m = await MemberHarness.StartAsync("agent-outage", _hub.Client, _workDir, c => new FleetL4.Agent.AgentOptions
        {
            Cluster = c,
            ApiOutageBound = Bound,
            BackoffMin = TimeSpan.FromMilliseconds(50),
            BackoffMax = TimeSpan.FromMilliseconds(300),
        }, _clock);
        m.ApplyServed(ns, "10.6.0.1");
        var lb = GrainKeys.MultiClusterService("agent-outage", ns, "kuard");
        await _hub.Hub.WaitForBackendsAsync(_clock, lb, "10.6.0.1");
        await Eventually.True(() => m.Agent!.Heartbeating, "heartbeating");

        await m.Api.StopAsync();
        var down = _clock.GetUtcNow();
        // Within the bound the open stream keeps renewing the lease, past the lease's own length: nothing withdrawn.
        while (_clock.GetUtcNow() - down < Bound - Shipped.HeartbeatInterval)
        {
            await Beat();
            Assert.True((await Member()).LeaseLive, $"lease lapsed {_clock.GetUtcNow() - down} into the outage");
        }
        Assert.True(_clock.GetUtcNow() - down > lease);
        Assert.True(m.Agent!.Heartbeating);
        Assert.Equal("10.6.0.1", _hub.Hub.HeldBackends(lb));

        // Past the bound the agent closes its stream; a lease later the hub withdraws the endpoints.
        // (The bound counts from the last answer, which the watches' ends may stamp a moment after the stop.)
        await Eventually.True(() =>
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            return !m.Agent.Heartbeating;
        }, "stream closed past the bound");
        Assert.True(_clock.GetUtcNow() - down > Bound, $"closed {_clock.GetUtcNow() - down} into the outage, before the bound");
        // (The hub learns of the close a moment later and may renew once more: time moves on until the lease lapses.)
        var closed = _clock.GetUtcNow();
        var expired = await Eventually.Get(() =>
        {
            _clock.Advance(Shipped.HeartbeatInterval);
            return Member();
        }, v => !v.LeaseLive, "lease lapsed");
        Assert.True(_clock.GetUtcNow() - closed <= lease + Shipped.HeartbeatInterval * 3, "renewals stopped with the stream");
        await _hub.Hub.WaitForBackendsAsync(_clock, lb);
        Assert.Equal("LeaseExpired", ConditionSet.Find(expired.Conditions, ConditionTypes.Healthy)!.Reason);

        // The API server is back: the agent heartbeats again and the endpoints return.
        await m.Api.StartAsync();
        await Eventually.True(() =>
        {
            _clock.Advance(TimeSpan.FromSeconds(1)); // the agent looks for its API server on this clock while it is gone
            return m.Agent.Heartbeating;
        }, "heartbeating again");
        await _hub.Hub.WaitForBackendsAsync(_clock, lb, "10.6.0.1");
        Assert.True((await Member()).LeaseLive);

        Task<Models.MemberClusterView> Member() => _hub.Hub.Fleet.GetMemberClusterAsync("agent-outage");

        // One heartbeat interval on, and the stream's renewal seen by the hub.
        async Task Beat()
        {
            _clock.Advance(Shipped.HeartbeatInterval);
            var now = _clock.GetUtcNow();
            await Eventually.Get(Member, v => v.LastHeartbeat >= now, "the stream's renewal");
        }
    }
}
