using FleetL4.Domain;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Grains;

[Collection(HubCollection.Name)]
public sealed class MultiClusterServiceTests(HubFixture fixture)
{
    private readonly FleetTestCluster _hub = fixture.Hub;

    [Fact]
    public async Task Unexporting_everywhere_keeps_the_frontend_IP_and_exporting_again_reuses_it()
    {
        const string ns = "unexport";
        var fleet = _hub.Fleet;
        await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await fleet.JoinClusterAsync("aks-member-2", Seed.EastUs);
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.51.0.1")));
        await fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready("10.51.1.1")));
        await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
        var id = GrainKeys.MultiClusterService("aks-member-1", ns, "kuard");
        await _hub.WaitForBackendsAsync(id, "10.51.0.1", "10.51.1.1");
        var ip = (await fleet.GetMultiClusterServiceAsync("aks-member-1", ns, "kuard")).ExternalIp;
        Assert.NotNull(ip);

        await fleet.RemoveServiceExportAsync("aks-member-1", ns, "kuard");
        await fleet.RemoveServiceExportAsync("aks-member-2", ns, "kuard");
        await _hub.WaitForBackendsAsync(id);
        var empty = await Eventually.Get(() => fleet.GetMultiClusterServiceAsync("aks-member-1", ns, "kuard"),
            m => ConditionSet.Find(m.Conditions, ConditionTypes.Valid)?.Status == "Unknown", "MCS Valid=Unknown");
        Assert.Equal("UnknownServiceImport", ConditionSet.Find(empty.Conditions, ConditionTypes.Valid)!.Reason);
        Assert.Empty(empty.Backends);
        Assert.Equal(ip, empty.ExternalIp);
        Assert.Equal(ip, _hub.Provider.Inner.Find(id)!.FrontendIp);

        await fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready("10.51.1.2")));
        await _hub.WaitForBackendsAsync(id, "10.51.1.2");
        var back = await Eventually.Get(() => fleet.GetMultiClusterServiceAsync("aks-member-1", ns, "kuard"),
            m => ConditionSet.Find(m.Conditions, ConditionTypes.Valid)?.Status == "True", "MCS Valid=True again");
        Assert.Equal(ip, back.ExternalIp);
    }

    [Fact]
    public async Task Two_MCSes_in_two_clusters_import_one_service_each_with_its_own_IP()
    {
        const string ns = "two-mcs";
        var fleet = _hub.Fleet;
        await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await fleet.JoinClusterAsync("aks-member-3", Seed.WestUs);
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.52.0.1", "10.52.0.2")));
        await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
        await fleet.ApplyMultiClusterServiceAsync("aks-member-3", Seed.Mcs(ns));
        var a = GrainKeys.MultiClusterService("aks-member-1", ns, "kuard");
        var b = GrainKeys.MultiClusterService("aks-member-3", ns, "kuard");
        await _hub.WaitForBackendsAsync(a, "10.52.0.1", "10.52.0.2");
        await _hub.WaitForBackendsAsync(b, "10.52.0.1", "10.52.0.2");
        var ipA = _hub.Provider.Inner.Find(a)!.FrontendIp;
        var ipB = _hub.Provider.Inner.Find(b)!.FrontendIp;
        Assert.NotEqual(ipA, ipB);
        var import = await fleet.GetServiceImportAsync(ns, "kuard");
        Assert.Equal([a, b], import.MultiClusterServices.Select(k => k.ToString()));

        // Deleting one leaves the other alone and frees its load balancer.
        await fleet.DeleteMultiClusterServiceAsync("aks-member-3", ns, "kuard");
        await Eventually.True(() => _hub.Provider.Inner.Find(b) is null, "second load balancer deleted");
        Assert.Equal(ipA, _hub.Provider.Inner.Find(a)!.FrontendIp);
        Assert.False((await fleet.GetMultiClusterServiceAsync("aks-member-3", ns, "kuard")).Exists);
    }

    [Fact]
    public async Task Internal_annotation_is_honoured_when_added_and_when_removed()
    {
        const string ns = "internal-lb";
        var fleet = _hub.Fleet;
        await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        var id = GrainKeys.MultiClusterService("aks-member-1", ns, "kuard");
        await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
        await Eventually.True(() => _hub.Provider.Inner.Find(id) is { Internal: false }, "public LB");
        var ip = _hub.Provider.Inner.Find(id)!.FrontendIp;

        await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns, annotations: new() { [FleetAnnotations.InternalLoadBalancer] = "true" }));
        await Eventually.True(() => _hub.Provider.Inner.Find(id) is { Internal: true }, "internal LB");
        Assert.True((await fleet.GetMultiClusterServiceAsync("aks-member-1", ns, "kuard")).Internal);

        await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
        await Eventually.True(() => _hub.Provider.Inner.Find(id) is { Internal: false }, "public LB again");
        Assert.Equal(ip, _hub.Provider.Inner.Find(id)!.FrontendIp);
    }

    [Fact]
    public async Task Retargeting_an_MCS_to_another_import_moves_its_backends()
    {
        const string ns = "retarget";
        var fleet = _hub.Fleet;
        await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.53.0.1")));
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.53.9.1"), name: "other"));
        var id = GrainKeys.MultiClusterService("aks-member-1", ns, "front");
        await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns, name: "front", import: "kuard"));
        await _hub.WaitForBackendsAsync(id, "10.53.0.1");
        await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns, name: "front", import: "other"));
        await _hub.WaitForBackendsAsync(id, "10.53.9.1");
        Assert.Empty((await fleet.GetServiceImportAsync(ns, "kuard")).MultiClusterServices);

        // Changes to the old import no longer reach it.
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.53.0.2")));
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.53.9.2"), name: "other"));
        await _hub.WaitForBackendsAsync(id, "10.53.9.2");
    }

    [Fact]
    public async Task A_dual_stack_import_is_served_on_IPv4_and_an_IPv6_only_one_on_IPv6()
    {
        const string ns = "dual-stack";
        var fleet = _hub.Fleet;
        await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await fleet.JoinClusterAsync("aks-member-2", Seed.EastUs);
        // Member 1 is dual-stack (each pod in an IPv4 and an IPv6 slice), member 2 IPv6 only.
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.56.0.1", "fd00:56::1")));
        await fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready("fd00:56::2")));
        await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
        var id = GrainKeys.MultiClusterService("aks-member-1", ns, "kuard");

        // A frontend sends to one family: IPv4 while any backend is IPv4.
        await _hub.WaitForBackendsAsync(id, "10.56.0.1");
        var lb = _hub.Provider.Inner.Find(id)!;
        Assert.Equal(LoadBalancing.IpFamily.IPv4, lb.Family);
        var v4 = await Eventually.Get(() => fleet.GetMultiClusterServiceAsync("aks-member-1", ns, "kuard"), m => m.LoadBalancerInSync, "in sync");
        Assert.Equal(("IPv4", lb.FrontendIp), (v4.IpFamily, v4.ExternalIp));
        Assert.DoesNotContain(':', v4.ExternalIp!);
        var import = await fleet.GetServiceImportAsync(ns, "kuard");
        Assert.Equal(new FleetL4.Models.FamilyCounts(1, 2), import.BackendsByFamily);
        Assert.Equal(new FleetL4.Models.FamilyCounts(1, 1), import.Exports.Single(e => e.Cluster == "aks-member-1").BackendsByFamily);

        // Only IPv6 backends left: the frontend moves to IPv6 (from FleetL4:FrontendPoolIPv6).
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("fd00:56::1")));
        await _hub.WaitForBackendsAsync(id, "fd00:56::1", "fd00:56::2");
        var v6 = await Eventually.Get(() => fleet.GetMultiClusterServiceAsync("aks-member-1", ns, "kuard"),
            m => m.LoadBalancerInSync && m.IpFamily == "IPv6", "IPv6 frontend");
        Assert.StartsWith("fd00:f1ee:4::", v6.ExternalIp, StringComparison.Ordinal);
        Assert.Equal(LoadBalancing.IpFamily.IPv6, _hub.Provider.Inner.Find(id)!.Family);
        await fleet.DeleteMultiClusterServiceAsync("aks-member-1", ns, "kuard");
    }

    [Fact]
    public async Task An_IPv6_frontend_moves_back_to_IPv4_when_an_IPv4_backend_returns_and_when_the_import_empties()
    {
        // The exceptions to "the frontend keeps its address": a frontend serves one family, and an import with
        // nothing in it is IPv4's (README, Semantics: frontend IP).
        const string ns = "family-moves";
        var fleet = _hub.Fleet;
        await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("fd00:57::1")));
        await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
        var id = GrainKeys.MultiClusterService("aks-member-1", ns, "kuard");
        Task<FleetL4.Models.MultiClusterServiceView> Frontend(string family) => Eventually.Get(() => fleet.GetMultiClusterServiceAsync("aks-member-1", ns, "kuard"),
            m => m.LoadBalancerInSync && m.IpFamily == family && m.ExternalIp is not null, $"{family} frontend");
        var v6 = await Frontend("IPv6");

        // An IPv4 backend appears (dual-stack now): served on an IPv4 address.
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.57.0.1", "fd00:57::1")));
        await _hub.WaitForBackendsAsync(id, "10.57.0.1");
        var v4 = await Frontend("IPv4");
        Assert.DoesNotContain(':', v4.ExternalIp!);

        // IPv6 only again: a new IPv6 address; then nothing exported: back to IPv4, which it then keeps.
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("fd00:57::1")));
        await Frontend("IPv6");
        await fleet.RemoveServiceExportAsync("aks-member-1", ns, "kuard");
        await _hub.WaitForBackendsAsync(id);
        var empty = await Frontend("IPv4");
        Assert.DoesNotContain(':', empty.ExternalIp!);
        Assert.NotEqual(v6.ExternalIp, empty.ExternalIp);
        await fleet.DeleteMultiClusterServiceAsync("aks-member-1", ns, "kuard");
    }
}
