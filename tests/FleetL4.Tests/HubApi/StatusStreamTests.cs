using System.Threading.Channels;
using FleetL4.Client;
using FleetL4.Models;
using FleetL4.Domain;
using FleetL4.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace FleetL4.Tests.HubApi;

/// <summary>A hub with the shipped lease (10 s x 3) behind its API, over a loopback socket, on a clock the tests move.</summary>
public sealed class StatusHubFixture : IAsyncLifetime
{
    private ApiHub _hub = null!;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    public FleetTestCluster Hub => _hub.Hub;
    public FleetClient Client => _hub.Client;

    public async Task InitializeAsync() => _hub = await ApiHub.StartAsync(Clock);

    public Task DisposeAsync() => _hub.DisposeAsync().AsTask();
}

/// <summary>The status stream: a snapshot, then only the changes a member writes back; open, it is the heartbeat.</summary>
public sealed class StatusStreamTests(StatusHubFixture fixture) : IClassFixture<StatusHubFixture>
{
    private FleetClient Client => fixture.Client;

    [Fact]
    public async Task A_snapshot_comes_first_then_each_status_change_is_pushed_and_endpoint_churn_is_not()
    {
        const string ns = "push";
        await Client.JoinClusterAsync("push-1", Seed.EastUs);
        await Client.JoinClusterAsync("push-2", Seed.EastUs);
        await Client.ReportServiceExportAsync("push-1", Seed.Export(ns, Seed.T0.AddHours(1), Seed.Ready("10.30.0.1")));
        await using var watch = Watch("push-1");

        var snapshot = await watch.Next(u => u.Resync, "snapshot");
        Assert.Equal(["kuard"], snapshot.Exports.Select(e => e.Name));
        Assert.Equal("False", Condition(snapshot.Exports[0].Conditions, "Conflict"));

        // An older export of another cluster with other ports wins: push-1's export turns Conflict=True, pushed.
        await Client.ReportServiceExportAsync("push-2", Seed.Export(ns, Seed.T0, Seed.Ready("10.30.1.1"), Seed.Kuard(new ServicePort("http", "TCP", 9090))));
        var conflict = await watch.Next(u => u.Exports.Any(e => Condition(e.Conditions, "Conflict") == "True"), "Conflict pushed");
        Assert.Contains("push-2", conflict.Exports.Single().Conditions.Single(c => c.Type == "Conflict").Message);

        // New endpoints change no condition: nothing is pushed for them. The next message is the MCS applied after.
        await Client.ReportServiceExportAsync("push-1", Seed.Export(ns, Seed.T0.AddHours(1), Seed.Ready("10.30.0.1", "10.30.0.2")));
        await Client.ApplyMultiClusterServiceAsync("push-1", Seed.Mcs(ns));
        var next = await watch.Next(_ => true, "the MCS");
        Assert.Empty(next.Exports);
        Assert.Equal(["kuard"], next.MultiClusterServices.Select(m => m.Name));
        // The frontend comes a coalescing window later, in the same message if the two changes were read together.
        var served = next.MultiClusterServices[0].ExternalIp is not null ? next
            : await watch.Next(u => u.MultiClusterServices.Any(m => m.ExternalIp is not null), "the MCS's frontend");
        Assert.Equal(fixture.Hub.Provider.Inner.Find(GrainKeys.MultiClusterService("push-1", ns, "kuard"))!.FrontendIp, served.MultiClusterServices[0].ExternalIp);

        // A removed export is pushed as gone.
        await Client.RemoveServiceExportAsync("push-1", ns, "kuard");
        await watch.Next(u => u.Exports.Any(e => e.Name == "kuard" && !e.Exists), "removal pushed");
    }

    [Fact]
    public async Task An_open_stream_keeps_the_lease_and_a_closed_one_lets_it_lapse()
    {
        var shipped = new FleetOptions();
        var lease = LeaseRule.Duration(shipped.HeartbeatInterval, shipped.MissedHeartbeats);
        await Client.JoinClusterAsync("lease-stream", Seed.EastUs);
        var watch = Watch("lease-stream");
        await watch.Next(u => u.Resync, "snapshot");
        // Five lease durations with no call but the open stream, which renews once per heartbeat interval.
        var opened = fixture.Clock.GetUtcNow();
        while (fixture.Clock.GetUtcNow() - opened < lease * 5)
        {
            fixture.Clock.Advance(shipped.HeartbeatInterval);
            var now = fixture.Clock.GetUtcNow();
            var member = await Eventually.Get(Member, m => m.LastHeartbeat >= now, "the stream's renewal");
            Assert.True(member.LeaseLive, $"lease lapsed {now - opened} after the stream opened");
        }
        // The hub learns of the close a moment later, and may renew once more: time moves on until the lease lapses.
        await watch.DisposeAsync();
        var closed = fixture.Clock.GetUtcNow();
        var lapsed = await Eventually.Get(() =>
        {
            fixture.Clock.Advance(shipped.HeartbeatInterval);
            return Member();
        }, m => !m.LeaseLive, "lease lapsed once the stream closed");
        Assert.True(fixture.Clock.GetUtcNow() - lapsed.LastHeartbeat!.Value > lease, "lapsed only a lease after the last renewal");
        Assert.True(fixture.Clock.GetUtcNow() - closed <= lease + shipped.HeartbeatInterval * 3, "renewals stopped with the stream");

        Task<MemberClusterView> Member() => fixture.Hub.Fleet.GetMemberClusterAsync("lease-stream");
    }

    [Fact]
    public async Task A_stream_whose_cluster_grain_was_reactivated_sends_a_fresh_snapshot()
    {
        await Client.JoinClusterAsync("resync-stream", Seed.EastUs);
        await Client.ReportServiceExportAsync("resync-stream", Seed.Export("resync", Seed.T0, Seed.Ready("10.31.0.1")));
        await using var watch = Watch("resync-stream");
        await watch.Next(u => u.Resync, "first snapshot");
        // Idle collection forgets the grain's watchers; the stream's next renewal finds out and resends everything.
        await fixture.Hub.DeactivateIdleGrainsAsync();
        fixture.Clock.Advance(new FleetOptions().HeartbeatInterval);
        var again = await watch.Next(u => u.Resync, "second snapshot");
        Assert.Equal(["kuard"], again.Exports.Select(e => e.Name));
    }

    [Fact]
    public async Task A_member_s_changes_go_in_batches_and_a_cluster_that_has_not_joined_cannot_watch()
    {
        await Client.JoinClusterAsync("batched", Seed.EastUs);
        var reports = Enumerable.Range(0, 600).Select(i => Seed.Export("batch", Seed.T0, Seed.Ready($"10.32.{i / 250}.{i % 250 + 1}"), name: $"svc-{i}")).ToList();
        var calls = Client.Calls;
        var result = await Client.MemberHub("batched").SyncAsync(new MemberChanges(reports, [], [], []));
        Assert.Equal(3, Client.Calls - calls); // 250 + 250 + 100
        Assert.Equal(600, result.Exports.Count);
        Assert.Empty(result.Rejected);
        Assert.Equal(600, (await fixture.Hub.Fleet.GetMemberClusterAsync("batched")).ServiceExports.Count);

        // One bad object is refused on its own; the rest of its batch is taken.
        var mixed = await Client.SyncAsync("batched", new MemberChanges([Seed.Export("batch", Seed.T0, [], name: "Not_A_Name"), Seed.Export("batch", Seed.T0, [], name: "fine")], [], [], []));
        Assert.Equal(["fine"], mixed.Exports.Select(e => e.Name));
        Assert.Equal("metadata.name", Assert.Single(mixed.Rejected).Field);

        var refused = await Assert.ThrowsAsync<FleetValidationException>(async () =>
        {
            await foreach (var _ in Client.WatchStatusAsync("never-joined")) { }
        });
        Assert.Equal("cluster", refused.Field);
    }

    private static string? Condition(IEnumerable<Condition> conditions, string type) => conditions.FirstOrDefault(c => c.Type == type)?.Status;

    private StatusWatch Watch(string cluster) => new(Client, cluster);

    [Fact]
    public async Task An_export_whose_latest_report_the_hub_lost_is_asked_for_again_on_the_stream()
    {
        const string ns = "resend";
        await Client.JoinClusterAsync("resend-1", Seed.EastUs);
        await Client.ReportServiceExportAsync("resend-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.31.0.1")));
        await using var watch = Watch("resend-1");
        await watch.Next(u => u.Resync, "snapshot");

        // What an export that comes back from storage with its marker set sends (UnsavedEndpointsTests covers that part).
        await fixture.Hub.Grains.GetGrain<IMemberClusterGrain>("resend-1").OnStatusChanged(new StatusChange(StatusKind.ResendServiceExport, new NamespacedName(ns, "kuard")));

        var ask = await watch.Next(u => u.ResendExports is [_, ..], "the ask to send the export again");
        Assert.Equal([new NamespacedName(ns, "kuard")], ask.ResendExports);
    }

    /// <summary>Reads a status stream in the background; <see cref="Next"/> waits for a matching message.</summary>
    private sealed class StatusWatch : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Channel<StatusUpdate> _updates = Channel.CreateUnbounded<StatusUpdate>();
        private readonly Task _reader;

        public StatusWatch(FleetClient client, string cluster) => _reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var update in client.WatchStatusAsync(cluster, _stop.Token)) await _updates.Writer.WriteAsync(update);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                _updates.Writer.TryComplete();
            }
        });

        public async Task<StatusUpdate> Next(Func<StatusUpdate, bool> match, string what)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                while (true)
                {
                    var update = await _updates.Reader.ReadAsync(deadline.Token);
                    if (match(update)) return update;
                }
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no status message: {what}");
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _reader;
        }
    }
}
