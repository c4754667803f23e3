using System.Diagnostics;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Grains;

[Collection(HubCollection.Name)]
public sealed class EndpointWriteBehindTests(HubFixture fixture)
{
    private readonly FleetTestCluster _hub = fixture.Hub;

    [Fact]
    public async Task Under_continuous_endpoint_churn_an_export_is_written_about_once_per_write_behind_period_not_on_every_change_nor_never()
    {
        const string ns = "write-behind";
        var fleet = _hub.Fleet;
        var exportKey = $"serviceexport/{GrainKeys.Export("aks-member-1", ns, "kuard")}";
        await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.75.0.1")));
        await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
        var id = GrainKeys.MultiClusterService("aks-member-1", ns, "kuard");
        await _hub.WaitForBackendsAsync(id, "10.75.0.1");
        var writesBefore = _hub.Store.Writes(exportKey);

        // An endpoint-only change every ~50 ms for 3 s, four times faster than the 200 ms write-behind: a timer
        // re-armed by each change would never fire, one write per change would write 60 times.
        var churn = Stopwatch.StartNew();
        var changes = 0;
        string last = "";
        while (churn.Elapsed < TimeSpan.FromSeconds(3))
        {
            changes++;
            last = $"10.75.{changes / 250}.{changes % 250 + 1}";
            await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready(last)));
            await Task.Delay(50); // the pace of the churn, not a wait for anything
        }
        var elapsed = churn.Elapsed;
        var writes = _hub.Store.Writes(exportKey) - writesBefore;

        var windows = elapsed / TimeSpan.FromMilliseconds(200);
        Assert.True(writes >= (int)(windows / 2), $"{writes} writes in {elapsed.TotalMilliseconds:F0} ms of churn ({changes} changes): the write-behind timer must not be pushed out by new changes");
        Assert.True(writes * 2 <= changes, $"{writes} writes for {changes} changes: endpoint-only changes must be written behind, not each one");
        await _hub.WaitForBackendsAsync(id, last);
    }
}
