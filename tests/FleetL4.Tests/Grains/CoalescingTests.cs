using FleetL4.LoadBalancing;
using FleetL4.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace FleetL4.Tests.Grains;

/// <summary>
/// The MCS's provider calls with the shipped coalescing window (200 ms), on a clock the test moves: the first change
/// after a quiet period goes out at once, the changes inside the window after it become one trailing call.
/// </summary>
public sealed class CoalescingTests : IAsyncLifetime
{
    private static readonly TimeSpan Window = new FleetOptions().CoalescingWindow;
    private readonly FakeTimeProvider _clock = new(Seed.T0);
    private FleetTestCluster _hub = null!;

    public async Task InitializeAsync() => _hub = await FleetTestCluster.StartAsync(
        o => o.CoalescingWindow = Window,
        grainClock: _clock);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task The_first_change_after_a_quiet_period_goes_at_once_and_a_burst_after_it_is_one_trailing_call()
    {
        const string ns = "coalesce";
        var fleet = _hub.Fleet;
        await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs, isVirtual: true);
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.91.0.1")));
        await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
        var id = GrainKeys.MultiClusterService("aks-member-1", ns, "kuard");
        await _hub.WaitForBackendsAsync(_clock, id, "10.91.0.1");

        var calls = new List<string>();
        void Record(LoadBalancerSpec spec) { if (spec.Id == id) lock (calls) calls.Add(string.Join(",", spec.Backends.Select(b => b.Address).Order())); }
        _hub.Provider.Inner.Ensured += Record;
        try
        {
            _clock.Advance(TimeSpan.FromSeconds(5)); // a quiet period

            // Leading edge: with the clock standing still, the change still reaches the provider.
            await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.91.0.1", "10.91.0.2")));
            await _hub.WaitForBackendsAsync(id, "10.91.0.1", "10.91.0.2");

            // A burst inside the window after that call: the MCS holds the newest set but the provider waits.
            string[] last = [];
            for (var i = 3; i <= 6; i++)
            {
                last = [.. Enumerable.Range(1, i).Select(n => $"10.91.0.{n}")];
                await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready(last)));
            }
            await Eventually.Get(() => fleet.GetMultiClusterServiceAsync("aks-member-1", ns, "kuard"),
                m => m.Backends.Count == last.Length && !m.LoadBalancerInSync, "MCS holds the burst's last set, not yet sent");
            Assert.Equal("10.91.0.1,10.91.0.2", _hub.HeldBackends(id));

            // The window ends: one trailing call carries the burst's last set.
            _clock.Advance(Window);
            await _hub.WaitForBackendsAsync(id, last);
            lock (calls) Assert.Equal(["10.91.0.1,10.91.0.2", string.Join(",", last.Order())], calls);
        }
        finally
        {
            _hub.Provider.Inner.Ensured -= Record;
        }
    }
}
