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
        Assert.Equal("Unknown", ConditionSet.Find(view.Conditions, ConditionTypes.Conflict)!.Status);
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
    public async Task Weight_zero_drains_the_cluster_and_an_invalid_weight_is_reported()
    {
        const string ns = "weights";
        var fleet = _hub.Fleet;
        await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await fleet.JoinClusterAsync("aks-member-2", Seed.EastUs);
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.43.0.1")));
        await fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready("10.43.1.1")));
        await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
        var id = GrainKeys.MultiClusterService("aks-member-1", ns, "kuard");
        await _hub.WaitForBackendsAsync(id, "10.43.0.1", "10.43.1.1");

        var drained = await fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready("10.43.1.1"), weight: "0"));
        Assert.Equal(("True", "ServiceIsValid"), Status(drained, ConditionTypes.Valid));
        Assert.Equal(0, drained.Weight);
        await _hub.WaitForBackendsAsync(id, "10.43.0.1");
        var import = await fleet.GetServiceImportAsync(ns, "kuard");
        Assert.Contains(import.Exports, e => e.Cluster == "aks-member-2" && e.State == "Drained");

        var invalid = await fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready("10.43.1.1"), weight: "1001"));
        Assert.Equal(("False", "ServiceExportInvalidWeightAnnotation"), Status(invalid, ConditionTypes.Valid));
        await _hub.WaitForBackendsAsync(id, "10.43.0.1");

        await fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready("10.43.1.1"), weight: "500"));
        await _hub.WaitForBackendsAsync(id, "10.43.0.1", "10.43.1.1");
    }

    private static (string, string) Status(ServiceExportView view, string type)
    {
        var c = ConditionSet.Find(view.Conditions, type)!;
        return (c.Status, c.Reason);
    }
}
