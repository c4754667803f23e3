using FleetL4.Domain;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Grains;

[Collection(HubCollection.Name)]
public sealed class MemberClusterTests(HubFixture fixture)
{
    private readonly FleetTestCluster _hub = fixture.Hub;

    [Fact]
    public async Task Leaving_removes_the_clusters_exports_and_MCSes()
    {
        const string ns = "leave";
        var fleet = _hub.Fleet;
        var joined = await fleet.JoinClusterAsync("leaver", Seed.WestUs);
        Assert.Equal(("True", "JoinSucceeded"), (ConditionSet.Find(joined.Conditions, "Joined")!.Status, ConditionSet.Find(joined.Conditions, "Joined")!.Reason));
        await fleet.JoinClusterAsync("stayer", Seed.EastUs);
        await fleet.ReportServiceExportAsync("stayer", Seed.Export(ns, Seed.T0, Seed.Ready("10.96.0.1")));
        await fleet.ReportServiceExportAsync("leaver", Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready("10.96.1.1")));
        await fleet.ApplyMultiClusterServiceAsync("stayer", Seed.Mcs(ns));
        await fleet.ApplyMultiClusterServiceAsync("leaver", Seed.Mcs(ns));
        var stayerLb = GrainKeys.MultiClusterService("stayer", ns, "kuard");
        var leaverLb = GrainKeys.MultiClusterService("leaver", ns, "kuard");
        await _hub.WaitForBackendsAsync(stayerLb, "10.96.0.1", "10.96.1.1");
        await _hub.WaitForBackendsAsync(leaverLb, "10.96.0.1", "10.96.1.1");

        await fleet.LeaveClusterAsync("leaver");

        await _hub.WaitForBackendsAsync(stayerLb, "10.96.0.1");
        await Eventually.True(() => _hub.Provider.Inner.Find(leaverLb) is null, "leaver's load balancer deleted");
        var left = await fleet.GetMemberClusterAsync("leaver");
        Assert.False(left.Joined);
        Assert.Empty(left.ServiceExports);
        Assert.Empty(left.MultiClusterServices);
        Assert.Equal("LeaveSucceeded", ConditionSet.Find(left.Conditions, "Joined")!.Reason);
        Assert.False((await fleet.GetServiceExportAsync("leaver", ns, "kuard")).Exists);
        Assert.DoesNotContain(await fleet.ListMemberClustersAsync(), m => m.Name == "leaver");
        Assert.Equal(["stayer"], (await fleet.GetServiceImportAsync(ns, "kuard")).Info.Clusters);
    }
}
