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
            { "endpoints", ok with { Endpoints = Enumerable.Range(0, 5001).Select(i => new EndpointInfo($"10.92.{i / 250}.{i % 250 + 1}")).ToArray() } },
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
    [InlineData("1kuard", "spec.serviceImport.name")]
    [InlineData("Kuard", "spec.serviceImport.name")]
    [InlineData("", "spec.serviceImport.name")]
    public async Task MCS_import_name_must_be_a_DNS_1035_label(string import, string field)
    {
        await _hub.Fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        var ex = await Assert.ThrowsAsync<FleetValidationException>(() =>
            _hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs("bad-mcs", import: import)));
        Assert.Equal(field, ex.Field);
        Assert.False((await _hub.Fleet.GetMultiClusterServiceAsync("aks-member-1", "bad-mcs", "kuard")).Exists);
        Assert.DoesNotContain(new NamespacedName("bad-mcs", "kuard"), (await _hub.Fleet.GetMemberClusterAsync("aks-member-1")).MultiClusterServices);
    }

    [Fact]
    public async Task A_bad_internal_annotation_is_refused()
    {
        await _hub.Fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        var ex = await Assert.ThrowsAsync<FleetValidationException>(() => _hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-1",
            Seed.Mcs("bad-annotation", annotations: new() { ["networking.fleet.azure.com/azure-load-balancer-internal"] = "yes" })));
        Assert.Contains("azure-load-balancer-internal", ex.Field);
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
