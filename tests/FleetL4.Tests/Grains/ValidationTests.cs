using FleetL4.Domain;
using FleetL4.Models;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Grains;

/// <summary>Bad input through the client facade: a clear error naming the field, and nothing changes.</summary>
[Collection(HubCollection.Name)]
public sealed class ValidationTests(HubFixture fixture)
{
    private const string Ns = "validation";
    private readonly FleetTestCluster _hub = fixture.Hub;

    [Theory]
    [InlineData("Aks-Member", "cluster")]
    [InlineData("aks_member", "cluster")]
    [InlineData("a-cluster-name-that-is-much-longer-than-sixty-three-characters-xx", "cluster")]
    public async Task Cluster_names_must_be_DNS_1123_labels(string name, string field)
    {
        var ex = await Assert.ThrowsAsync<FleetValidationException>(() => _hub.Fleet.JoinClusterAsync(name));
        Assert.Equal(field, ex.Field);
        Assert.DoesNotContain(await _hub.Fleet.ListMemberClustersAsync(), m => m.Name == name);
    }

    public static TheoryData<string, ServiceExportReport> BadReports()
    {
        var ok = Seed.Export(Ns, Seed.T0, Seed.Ready("10.91.0.1"));
        return new()
        {
            { "metadata.namespace", ok with { Namespace = "Bad_NS" } },
            { "metadata.name", ok with { Name = new string('k', 64) } },
            { "service.spec.ports[0].port", ok with { Service = Seed.Kuard(new ServicePort(null, "TCP", 0)) } },
            { "service.spec.ports[0].port", ok with { Service = Seed.Kuard(new ServicePort(null, "TCP", 65536)) } },
            { "service.spec.ports[0].protocol", ok with { Service = Seed.Kuard(new ServicePort(null, "HTTP", 8080)) } },
            { "service.spec.ports[1].port", ok with { Service = Seed.Kuard(new ServicePort("a", "TCP", 8080), new ServicePort("b", "TCP", 8080)) } },
            { "endpoints[1].address", ok with { Endpoints = Seed.Ready("10.91.0.1", "kuard-pod-1") } },
            { "quota FleetL4:Quotas:EndpointsPerExport", ok with { Endpoints = Enumerable.Range(0, 5001).Select(i => new EndpointInfo($"10.92.{i / 250}.{i % 250 + 1}")).ToArray() } },
        };
    }

    [Theory]
    [MemberData(nameof(BadReports))]
    public async Task Bad_exports_are_refused_naming_the_field_and_the_stored_export_is_unchanged(string field, ServiceExportReport bad)
    {
        await _hub.Fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        var good = await _hub.Fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(Ns, Seed.T0, Seed.Ready("10.91.0.1")));

        var ex = await Assert.ThrowsAsync<FleetValidationException>(() => _hub.Fleet.ReportServiceExportAsync("aks-member-1", bad));
        Assert.Equal(field, ex.Field);
        Assert.Contains(field, ex.Message);

        var after = await _hub.Fleet.GetServiceExportAsync("aks-member-1", Ns, "kuard");
        Assert.Equal(good.Endpoints, after.Endpoints);
        Assert.Equal(good.Service!.Ports, after.Service!.Ports);
        Assert.Equal(1, (await _hub.Fleet.GetServiceImportAsync(Ns, "kuard")).BackendCount);
    }

    [Fact]
    public async Task Exactly_5000_endpoints_are_accepted()
    {
        await _hub.Fleet.JoinClusterAsync("aks-member-2", Seed.EastUs);
        var endpoints = Enumerable.Range(0, 5000).Select(i => new EndpointInfo($"10.93.{i / 250}.{i % 250 + 1}")).ToArray();
        var view = await _hub.Fleet.ReportServiceExportAsync("aks-member-2", Seed.Export("max-endpoints", Seed.T0, endpoints));
        Assert.Equal(5000, view.Endpoints.Count);
        Assert.Equal(5000, (await _hub.Fleet.GetServiceImportAsync("max-endpoints", "kuard")).BackendCount);
    }

    [Theory]
    [InlineData("1kuard", "spec.serviceImport.name", "bad-mcs-digit")]
    [InlineData("Kuard", "spec.serviceImport.name", "bad-mcs-upper")]
    [InlineData("", "spec.serviceImport.name", "bad-mcs-missing")]
    public async Task An_MCS_with_a_bad_or_missing_import_name_is_Valid_False_naming_the_field_and_gets_no_load_balancer(string import, string field, string ns)
    {
        // Our CRD refuses such an MCS; one that reaches the hub anyway is shown, not dropped in silence.
        await _hub.Fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        var view = await _hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns, import: import));
        Assert.True(view.Exists);
        var valid = ConditionSet.Find(view.Conditions, ConditionTypes.Valid)!;
        Assert.Equal(("False", "InvalidSpec"), (valid.Status, valid.Reason));
        Assert.StartsWith($"{field}: ", valid.Message, StringComparison.Ordinal);
        Assert.Null(view.ExternalIp);
        Assert.Null(_hub.Provider.Inner.Find(GrainKeys.MultiClusterService("aks-member-1", ns, "kuard")));
        Assert.Contains(new NamespacedName(ns, "kuard"), (await _hub.Fleet.GetMemberClusterAsync("aks-member-1")).MultiClusterServices);

        // Fixed: it binds and gets its frontend.
        var fixedView = await _hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
        Assert.Equal("UnknownServiceImport", ConditionSet.Find(fixedView.Conditions, ConditionTypes.Valid)!.Reason);
        await Eventually.Get(() => _hub.Fleet.GetMultiClusterServiceAsync("aks-member-1", ns, "kuard"), m => m.ExternalIp is not null, "frontend after the fix");
        await _hub.Fleet.DeleteMultiClusterServiceAsync("aks-member-1", ns, "kuard");
    }

    [Fact]
    public async Task An_unparseable_internal_annotation_means_public_and_says_so_in_the_condition()
    {
        await _hub.Fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        var view = await _hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-1",
            Seed.Mcs("bad-annotation", annotations: new() { ["networking.fleet.azure.com/azure-load-balancer-internal"] = "yes" }));
        Assert.False(view.Internal);
        Assert.EndsWith("; annotation networking.fleet.azure.com/azure-load-balancer-internal \"yes\" is not a boolean "
            + "(1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False), so the load balancer is public",
            ConditionSet.Find(view.Conditions, ConditionTypes.Valid)!.Message, StringComparison.Ordinal);
        var fleetSpelling = await _hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-1",
            Seed.Mcs("bad-annotation", annotations: new() { ["networking.fleet.azure.com/azure-load-balancer-internal"] = "T" }));
        Assert.True(fleetSpelling.Internal);
        Assert.DoesNotContain("not a boolean", ConditionSet.Find(fleetSpelling.Conditions, ConditionTypes.Valid)!.Message, StringComparison.Ordinal);
        await _hub.Fleet.DeleteMultiClusterServiceAsync("aks-member-1", "bad-annotation", "kuard");
    }

    [Fact]
    public async Task Reports_from_a_cluster_that_has_not_joined_are_refused()
    {
        var ex = await Assert.ThrowsAsync<FleetValidationException>(() =>
            _hub.Fleet.ReportServiceExportAsync("never-joined", Seed.Export("unjoined", Seed.T0, Seed.Ready("10.94.0.1"))));
        Assert.Equal("cluster", ex.Field);
        Assert.Contains("never-joined", ex.Message);
        Assert.Empty((await _hub.Fleet.GetServiceImportAsync("unjoined", "kuard")).Exports);
        await Assert.ThrowsAsync<FleetValidationException>(() => _hub.Fleet.HeartbeatAsync("never-joined"));
    }

    [Fact]
    public async Task A_report_older_than_the_last_accepted_one_is_ignored()
    {
        await _hub.Fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await _hub.Fleet.ReportServiceExportAsync("aks-member-1", Seed.Export("ordering", Seed.T0, Seed.Ready("10.95.0.2"), revision: 7));
        var late = await _hub.Fleet.ReportServiceExportAsync("aks-member-1", Seed.Export("ordering", Seed.T0, Seed.Ready("10.95.0.1"), revision: 6));
        Assert.Equal("10.95.0.2", Assert.Single(late.Endpoints).Address);
    }
}
