using FleetL4.Domain;
using FleetL4.Models;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Grains;

[Collection(HubCollection.Name)]
public sealed class SeedScenarioTests(HubFixture fixture)
{
    private readonly FleetTestCluster _hub = fixture.Hub;

    [Fact]
    public async Task Seed_walkthrough_exports_from_two_eastus_members_and_balances_all_four_endpoints()
    {
        const string ns = "kuard-demo";
        var fleet = _hub.Fleet;
        await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await fleet.JoinClusterAsync("aks-member-2", Seed.EastUs);
        await fleet.JoinClusterAsync("aks-member-3", Seed.WestUs);

        var e1 = await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.1.0.1", "10.1.0.2")));
        var e2 = await fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(ns, Seed.T0.AddSeconds(30), Seed.Ready("10.2.0.1", "10.2.0.2")));

        foreach (var e in new[] { e1, e2 })
        {
            var valid = ConditionSet.Find(e.Conditions, ConditionTypes.Valid)!;
            var conflict = ConditionSet.Find(e.Conditions, ConditionTypes.Conflict)!;
            Assert.Equal(("True", "ServiceIsValid"), (valid.Status, valid.Reason));
            Assert.Equal(("False", "NoConflictFound"), (conflict.Status, conflict.Reason));
        }

        await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
        var mcs = await Eventually.Get(() => fleet.GetMultiClusterServiceAsync("aks-member-1", ns, "kuard"),
            m => m.ExternalIp is not null && m.LoadBalancerInSync, "MCS external IP");
        var valid1 = ConditionSet.Find(mcs.Conditions, ConditionTypes.Valid)!;
        Assert.Equal(("True", "FoundServiceImport"), (valid1.Status, valid1.Reason));
        Assert.StartsWith("127.0.100.", mcs.ExternalIp);

        var lb = _hub.Provider.Inner.Find(GrainKeys.MultiClusterService("aks-member-1", ns, "kuard"))!;
        Assert.Equal(mcs.ExternalIp, lb.FrontendIp);
        Assert.Equal(
            new[] { "10.1.0.1", "10.1.0.2", "10.2.0.1", "10.2.0.2" },
            lb.Backends.Select(b => b.Address).Order());
        Assert.Equal([new LoadBalancing.FrontendPort(8080, "TCP", 8080)], lb.Ports);

        var import = await fleet.GetServiceImportAsync(ns, "kuard");
        Assert.Equal(["aks-member-1", "aks-member-2"], import.Info.Clusters);
        Assert.Equal(4, import.BackendCount);

        // The member list shows what each cluster holds; aks-member-3 exports nothing.
        var members = await fleet.ListMemberClustersAsync();
        Assert.Contains(members, m => m.Name == "aks-member-3" && m.Labels["fleet.azure.com/location"] == "westus" && m.ServiceExports.Count == 0);
        Assert.Contains(members, m => m.Name == "aks-member-1" && m.MultiClusterServices.Contains(new NamespacedName(ns, "kuard")));
    }

    [Fact]
    public async Task Endpoint_changes_reach_the_load_balancer_and_unready_endpoints_are_excluded()
    {
        const string ns = "endpoints";
        var fleet = _hub.Fleet;
        await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await fleet.JoinClusterAsync("aks-member-2", Seed.EastUs);
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.11.0.1")));
        await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
        var id = GrainKeys.MultiClusterService("aks-member-1", ns, "kuard");
        await _hub.WaitForBackendsAsync(id, "10.11.0.1");

        EndpointInfo[] endpoints =
        [
            new("10.11.0.1"),
            new("10.11.0.2", Ready: false, Serving: false),                 // starting up: excluded
            new("10.11.0.3", Ready: false, Serving: true, Terminating: true), // terminating but serving: drains
            new("10.11.0.4", Ready: false, Serving: false, Terminating: true), // gone
        ];
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, endpoints));
        await _hub.WaitForBackendsAsync(id, "10.11.0.1", "10.11.0.3");

        // The terminating endpoint stops serving: it leaves.
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, [new("10.11.0.1"), new("10.11.0.2")]));
        await _hub.WaitForBackendsAsync(id, "10.11.0.1", "10.11.0.2");
    }
}
