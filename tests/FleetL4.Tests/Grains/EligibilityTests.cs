using FleetL4.Domain;
using FleetL4.Models;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Grains;

[Collection(HubCollection.Name)]
public sealed class EligibilityTests(HubFixture fixture)
{
    private readonly FleetTestCluster _hub = fixture.Hub;

    [Theory]
    [InlineData("headless", "ClusterIP", "None", "ServiceIneligible")]
    [InlineData("external-name", "ExternalName", null, "ServiceIneligible")]
    public async Task Ineligible_services_are_not_valid_and_export_nothing(string ns, string type, string? clusterIp, string reason)
    {
        await _hub.Fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        var view = await _hub.Fleet.ReportServiceExportAsync("aks-member-1",
            Seed.Export(ns, Seed.T0, Seed.Ready("10.41.0.1"), new ExportedService(type, clusterIp, [new ServicePort(null, "TCP", 8080)])));
        var valid = ConditionSet.Find(view.Conditions, ConditionTypes.Valid)!;
        Assert.Equal(("False", reason), (valid.Status, valid.Reason));
        Assert.StartsWith($"service {ns}/kuard is not eligible for export: ", valid.Message, StringComparison.Ordinal);
        // Never valid, so never part of conflict resolution: no Conflict condition (IS-CONFLICTED prints blank).
        Assert.Null(ConditionSet.Find(view.Conditions, ConditionTypes.Conflict));
        var import = await _hub.Fleet.GetServiceImportAsync(ns, "kuard");
        Assert.Empty(import.Exports);
    }

    [Fact]
    public async Task Export_without_service_is_ServiceNotFound_and_becomes_valid_when_the_service_appears()
    {
        const string ns = "not-found";
        await _hub.Fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        var missing = await _hub.Fleet.ReportServiceExportAsync("aks-member-1", new ServiceExportReport(ns, "kuard", Seed.T0, null, []));
        Assert.Equal(("False", "ServiceNotFound"), Status(missing, ConditionTypes.Valid));

        var found = await _hub.Fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.42.0.1")));
        Assert.Equal(("True", "ServiceIsValid"), Status(found, ConditionTypes.Valid));
        Assert.Equal(("False", "NoConflictFound"), Status(found, ConditionTypes.Conflict));
        Assert.Equal(1, (await _hub.Fleet.GetServiceImportAsync(ns, "kuard")).BackendCount);

        // The Service is deleted again: its endpoints leave the import.
        var gone = await _hub.Fleet.ReportServiceExportAsync("aks-member-1", new ServiceExportReport(ns, "kuard", Seed.T0, null, []));
        Assert.Equal(("False", "ServiceNotFound"), Status(gone, ConditionTypes.Valid));
        Assert.Equal(0, (await _hub.Fleet.GetServiceImportAsync(ns, "kuard")).BackendCount);
    }

    [Fact]
    public async Task Weight_zero_removes_the_cluster_from_the_import_and_from_conflict_resolution()
    {
        const string ns = "weight-zero";
        var fleet = _hub.Fleet;
        var id = await TwoEastUsExportsAndAnMcs(ns, "10.43.0.1", "10.43.1.1");
        await _hub.WaitForBackendsAsync(id, "10.43.0.1", "10.43.1.1");

        // Weight 0 on a newer export whose ports differ: it takes no part, so nobody is in conflict (Fleet deletes
        // the internal export).
        var drained = await fleet.ReportServiceExportAsync("aks-member-2",
            Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready("10.43.1.1"), Seed.Kuard(new ServicePort(null, "TCP", 9090)), weight: "0"));
        var valid = ConditionSet.Find(drained.Conditions, ConditionTypes.Valid)!;
        Assert.Equal(("True", "ServiceIsValid", $"exported service {ns}/kuard with 0 weight"), (valid.Status, valid.Reason, valid.Message));
        Assert.Null(ConditionSet.Find(drained.Conditions, ConditionTypes.Conflict));
        Assert.Equal(0, drained.Weight);
        await _hub.WaitForBackendsAsync(id, "10.43.0.1");
        var import = await fleet.GetServiceImportAsync(ns, "kuard");
        Assert.Equal(["aks-member-1"], import.Info.Clusters);
        Assert.Equal(["aks-member-1"], import.Exports.Select(e => e.Cluster));
        Assert.Equal("False", ConditionSet.Find((await fleet.GetServiceExportAsync("aks-member-1", ns, "kuard")).Conditions, ConditionTypes.Conflict)!.Status);

        // Every export at weight 0: the import has no clusters and the MCS is Valid=Unknown.
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.43.0.1"), weight: "0"));
        await _hub.WaitForBackendsAsync(id);
        var mcs = await Eventually.Get(() => fleet.GetMultiClusterServiceAsync("aks-member-1", ns, "kuard"),
            m => ConditionSet.Find(m.Conditions, ConditionTypes.Valid)?.Status == "Unknown", "MCS Valid=Unknown");
        Assert.Equal("UnknownServiceImport", ConditionSet.Find(mcs.Conditions, ConditionTypes.Valid)!.Reason);
        Assert.Empty((await fleet.GetServiceImportAsync(ns, "kuard")).Info.Clusters);
        Assert.NotNull(mcs.ExternalIp); // the frontend is kept for the MCS's life

        // Back to a real weight: in again.
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.43.0.1"), weight: "500"));
        await _hub.WaitForBackendsAsync(id, "10.43.0.1");
    }

    [Fact]
    public async Task A_bad_weight_annotation_on_a_live_export_keeps_its_endpoints_serving_until_it_is_fixed()
    {
        const string ns = "bad-weight";
        var fleet = _hub.Fleet;
        var id = await TwoEastUsExportsAndAnMcs(ns, "10.44.0.1", "10.44.1.1");
        await _hub.WaitForBackendsAsync(id, "10.44.0.1", "10.44.1.1");

        var invalid = await fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready("10.44.1.1"), weight: "1001"));
        var valid = ConditionSet.Find(invalid.Conditions, ConditionTypes.Valid)!;
        Assert.Equal(("False", "ServiceExportInvalidWeightAnnotation"), (valid.Status, valid.Reason));
        Assert.Equal($"serviceExport {ns}/kuard has an invalid weight annotation, err = the weight annotation is not in the range [0, 1000]: 1001"
            + "; its last valid weight keeps serving until the annotation is fixed", valid.Message);
        // Still in the import, still serving; endpoints keep following the pods meanwhile.
        var later = await fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready("10.44.1.2"), weight: "1001"));
        Assert.Equal("False", ConditionSet.Find(later.Conditions, ConditionTypes.Valid)!.Status);
        await _hub.WaitForBackendsAsync(id, "10.44.0.1", "10.44.1.2");
        Assert.Equal(["aks-member-1", "aks-member-2"], (await fleet.GetServiceImportAsync(ns, "kuard")).Info.Clusters);

        // Fixed: valid again, nothing moved.
        var fixedView = await fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready("10.44.1.2"), weight: "5"));
        Assert.Equal("True", ConditionSet.Find(fixedView.Conditions, ConditionTypes.Valid)!.Status);
        await _hub.WaitForBackendsAsync(id, "10.44.0.1", "10.44.1.2");

        // An export that starts out with a bad weight never served: it contributes nothing and has no Conflict condition.
        await fleet.JoinClusterAsync("aks-member-3", Seed.WestUs);
        var fresh = await fleet.ReportServiceExportAsync("aks-member-3", Seed.Export(ns, Seed.T0.AddSeconds(2), Seed.Ready("10.44.2.1"), weight: "x"));
        Assert.Equal("ServiceExportInvalidWeightAnnotation", ConditionSet.Find(fresh.Conditions, ConditionTypes.Valid)!.Reason);
        Assert.Null(ConditionSet.Find(fresh.Conditions, ConditionTypes.Conflict));
        await _hub.WaitForBackendsAsync(id, "10.44.0.1", "10.44.1.2");
    }

    [Fact]
    public async Task Deleting_a_live_export_with_a_bad_weight_annotation_withdraws_the_endpoints_it_kept_serving()
    {
        const string ns = "bad-weight-deleted";
        var fleet = _hub.Fleet;
        var id = await TwoEastUsExportsAndAnMcs(ns, "10.45.0.1", "10.45.1.1");
        var invalid = await fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready("10.45.1.1"), weight: "-3"));
        Assert.Equal("False", ConditionSet.Find(invalid.Conditions, ConditionTypes.Valid)!.Status);
        await _hub.WaitForBackendsAsync(id, "10.45.0.1", "10.45.1.1"); // kept serving

        // Deleted: what it kept serving goes, from the import and from the MCS's backends.
        await fleet.RemoveServiceExportAsync("aks-member-2", ns, "kuard");
        await _hub.WaitForBackendsAsync(id, "10.45.0.1");
        var import = await fleet.GetServiceImportAsync(ns, "kuard");
        Assert.Equal(["aks-member-1"], import.Info.Clusters);
        Assert.Equal(1, import.BackendCount);
        Assert.Equal(["aks-member-1"], import.Exports.Select(e => e.Cluster));
    }

    /// <summary>kuard exported by aks-member-1 (the older) and aks-member-2, one address each, and an MCS on aks-member-1.</summary>
    private async Task<string> TwoEastUsExportsAndAnMcs(string ns, string member1, string member2)
    {
        var fleet = _hub.Fleet;
        await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await fleet.JoinClusterAsync("aks-member-2", Seed.EastUs);
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready(member1)));
        await fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready(member2)));
        await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
        return GrainKeys.MultiClusterService("aks-member-1", ns, "kuard");
    }

    private static (string, string) Status(ServiceExportView view, string type)
    {
        var c = ConditionSet.Find(view.Conditions, type)!;
        return (c.Status, c.Reason);
    }
}
