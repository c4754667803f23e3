using FleetL4.Domain;
using FleetL4.Models;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Grains;

[Collection(HubCollection.Name)]
public sealed class ConflictTests(HubFixture fixture)
{
    private readonly FleetTestCluster _hub = fixture.Hub;

    [Fact]
    public async Task Newer_export_with_other_ports_conflicts_names_the_winner_and_adds_no_endpoints_and_the_winner_is_told_too()
    {
        const string ns = "conflict";
        var fleet = _hub.Fleet;
        await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await fleet.JoinClusterAsync("aks-member-2", Seed.EastUs);
        await fleet.JoinClusterAsync("aks-member-3", Seed.WestUs);
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.21.0.1")));
        await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
        var id = GrainKeys.MultiClusterService("aks-member-1", ns, "kuard");
        await _hub.WaitForBackendsAsync(id, "10.21.0.1");

        var newer = await fleet.ReportServiceExportAsync("aks-member-2",
            Seed.Export(ns, Seed.T0.AddMinutes(5), Seed.Ready("10.22.0.1"), Seed.Kuard(new ServicePort(null, "TCP", 9090))));
        var conflict = ConditionSet.Find(newer.Conditions, ConditionTypes.Conflict)!;
        Assert.Equal(("True", "ConflictFound"), (conflict.Status, conflict.Reason));
        Assert.Contains("ports", conflict.Message);
        Assert.Contains("\"aks-member-1\"", conflict.Message);
        Assert.Contains("9090/TCP", conflict.Message);
        // Still valid: a conflict is not a validation failure.
        Assert.Equal("True", ConditionSet.Find(newer.Conditions, ConditionTypes.Valid)!.Status);

        // KEP-1645: the winner too shows Conflict=True, says it is the one in use and names the other cluster and field;
        // traffic does not change.
        var winner = await Eventually.Get(() => fleet.GetServiceExportAsync("aks-member-1", ns, "kuard"),
            e => ConditionSet.Find(e.Conditions, ConditionTypes.Conflict)?.Status == "True", "the winner told of the conflict");
        var won = ConditionSet.Find(winner.Conditions, ConditionTypes.Conflict)!;
        Assert.Equal("ConflictFound", won.Reason);
        Assert.Equal($"service {ns}/kuard is in conflict with other exported services: this export is the oldest and is the one in use; "
            + "the ports of the export in cluster \"aks-member-2\" differ and are not in use", won.Message);
        var mcs = await fleet.GetMultiClusterServiceAsync("aks-member-1", ns, "kuard");
        Assert.Equal(["10.21.0.1"], mcs.Backends.Select(b => b.Address));
        Assert.Equal([8080], mcs.Import.Ports.Select(p => p.Port));

        // A third, even newer export agreeing with the winner joins in.
        await fleet.ReportServiceExportAsync("aks-member-3", Seed.Export(ns, Seed.T0.AddMinutes(10), Seed.Ready("10.23.0.1")));
        await _hub.WaitForBackendsAsync(id, "10.21.0.1", "10.23.0.1");

        // The winner goes away: the oldest remaining export (member-2, 9090) wins, member-3 now conflicts.
        await fleet.RemoveServiceExportAsync("aks-member-1", ns, "kuard");
        await _hub.WaitForBackendsAsync(id, "10.22.0.1");
        var now2 = await Eventually.Get(() => fleet.GetServiceExportAsync("aks-member-2", ns, "kuard"),
            e => ConditionSet.Find(e.Conditions, ConditionTypes.Conflict)?.Message.Contains("the one in use") == true, "member-2 now the winner in use");
        Assert.Equal(("True", "ConflictFound"), (ConditionSet.Find(now2.Conditions, ConditionTypes.Conflict)!.Status, ConditionSet.Find(now2.Conditions, ConditionTypes.Conflict)!.Reason));
        var now3 = await Eventually.Get(() => fleet.GetServiceExportAsync("aks-member-3", ns, "kuard"),
            e => ConditionSet.Find(e.Conditions, ConditionTypes.Conflict)?.Status == "True", "member-3 conflicting");
        Assert.Contains("\"aks-member-2\"", ConditionSet.Find(now3.Conditions, ConditionTypes.Conflict)!.Message);
        var lb = _hub.Provider.Inner.Find(id)!;
        Assert.Equal([new LoadBalancing.FrontendPort(9090, "TCP", 9090)], lb.Ports);
    }

    [Fact]
    public async Task Port_order_does_not_matter()
    {
        const string ns = "port-order";
        var fleet = _hub.Fleet;
        await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await fleet.JoinClusterAsync("aks-member-2", Seed.EastUs);
        var http = new ServicePort("http", "TCP", 8080);
        var dns = new ServicePort("dns", "UDP", 53);
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.31.0.1"), Seed.Kuard(http, dns)));
        var second = await fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready("10.32.0.1"), Seed.Kuard(dns, http)));
        Assert.Equal("False", ConditionSet.Find(second.Conditions, ConditionTypes.Conflict)!.Status);
        var import = await fleet.GetServiceImportAsync(ns, "kuard");
        Assert.Equal(2, import.BackendCount);
    }
}
