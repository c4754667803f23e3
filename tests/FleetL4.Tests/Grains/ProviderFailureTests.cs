using FleetL4.Models;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Grains;

[Collection(HubCollection.Name)]
public sealed class ProviderFailureTests(HubFixture fixture)
{
    private readonly FleetTestCluster _hub = fixture.Hub;

    [Fact]
    public async Task An_MCS_converges_by_itself_after_a_provider_outage()
    {
        const string ns = "outage";
        var fleet = _hub.Fleet;
        await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.71.0.1")));
        var id = GrainKeys.MultiClusterService("aks-member-1", ns, "kuard");
        _hub.Provider.Failing = true;
        try
        {
            await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
            await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.71.0.1", "10.71.0.2")));
            // Retried while failing (ProviderBackoffTests checks that the delays grow), and the MCS says why it is not in sync.
            await Eventually.True(() => _hub.Provider.FailureTimes(id).Count >= 3, "three failed attempts");
            var failing = await fleet.GetMultiClusterServiceAsync("aks-member-1", ns, "kuard");
            Assert.False(failing.LoadBalancerInSync);
            Assert.Contains("simulated provider outage", failing.LoadBalancerError);
            Assert.Null(_hub.Provider.Inner.Find(id));
        }
        finally
        {
            _hub.Provider.Failing = false;
        }
        await _hub.WaitForBackendsAsync(id, "10.71.0.1", "10.71.0.2");
        var healed = await Eventually.Get(() => fleet.GetMultiClusterServiceAsync("aks-member-1", ns, "kuard"),
            m => m.LoadBalancerInSync && m.ExternalIp is not null, "MCS in sync");
        Assert.Null(healed.LoadBalancerError);
    }

    [Fact]
    public async Task Many_changes_during_slow_provider_calls_end_in_the_last_desired_state_with_one_call_in_flight()
    {
        const string ns = "hammer";
        var fleet = _hub.Fleet;
        await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await fleet.JoinClusterAsync("aks-member-2", Seed.EastUs);
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.72.0.1")));
        await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
        var id = GrainKeys.MultiClusterService("aks-member-1", ns, "kuard");
        await _hub.WaitForBackendsAsync(id, "10.72.0.1");

        _hub.Provider.Delay = TimeSpan.FromMilliseconds(50);
        _hub.Provider.MaxConcurrentCallsForOneBalancer = 0;
        var callsBefore = _hub.Provider.Inner.EnsureCalls;
        try
        {
            string[] last = [];
            for (var i = 1; i <= 200; i++)
            {
                // Two clusters change concurrently; the final sets are what must end up in the provider.
                last = Enumerable.Range(0, i % 7 + 1).Select(k => $"10.72.{i % 250}.{k + 1}").ToArray();
                await Task.WhenAll(
                    fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready(last))),
                    fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready($"10.73.{i % 250}.1"))));
            }
            await _hub.WaitForBackendsAsync(id, [.. last, "10.73.200.1"]);
            Assert.Equal(1, _hub.Provider.MaxConcurrentCallsForOneBalancer);
            // Coalesced: far fewer provider calls than the 400 changes.
            Assert.True(_hub.Provider.Inner.EnsureCalls - callsBefore < 200, $"{_hub.Provider.Inner.EnsureCalls - callsBefore} provider calls");
        }
        finally
        {
            _hub.Provider.Delay = TimeSpan.Zero;
        }
    }
}
