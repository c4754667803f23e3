using System.Text.Json;
using FleetL4.Client;
using FleetL4.HubApi;
using FleetL4.Models;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.HubApi;

/// <summary>The hub API's pure rules: who may do what, where it listens, what a client is told to reach, the wire mapping.</summary>
public sealed class HubRulesTests
{
    private static readonly HubCaller MemberA = new("a", IsAdmin: false);
    private static readonly HubCaller Admin = new("ops", IsAdmin: true);

    [Fact]
    public void A_member_may_act_on_its_own_cluster_only_and_admins_on_all()
    {
        Assert.Null(HubAuthorization.Refusal(MemberA, "report objects for", "a"));
        Assert.Equal("member \"a\" may not report objects for cluster \"b\"", HubAuthorization.Refusal(MemberA, "report objects for", "b"));
        Assert.Null(HubAuthorization.Refusal(Admin, "report objects for", "b"));
        Assert.Equal("member \"a\" may not apply manifests: admins only", HubAuthorization.AdminRefusal(MemberA, "apply manifests"));
        Assert.Null(HubAuthorization.AdminRefusal(Admin, "apply manifests"));
        // Lists: a member's are its own cluster's; an admin's are all, or the one named.
        Assert.Equal("a", HubAuthorization.ListScope(MemberA, null));
        Assert.Null(HubAuthorization.ListScope(Admin, null));
        Assert.Equal("b", HubAuthorization.ListScope(Admin, "b"));
    }

    [Fact]
    public void A_member_reads_an_import_only_when_one_of_its_MCSes_imports_it()
    {
        var import = new NamespacedName("web", "kuard");
        Assert.Null(HubAuthorization.ImportRefusal(MemberA, import, [new ClusterNamespacedName("a", "web", "front")]));
        Assert.NotNull(HubAuthorization.ImportRefusal(MemberA, import, [new ClusterNamespacedName("b", "web", "kuard")]));
        Assert.NotNull(HubAuthorization.ImportRefusal(MemberA, import, []));
        Assert.Null(HubAuthorization.ImportRefusal(Admin, import, []));
    }

    [Theory]
    [InlineData("http://127.0.0.1:30080", "127.0.0.1", 30080, true)]
    [InlineData("https://0.0.0.0:30443", "0.0.0.0", 30443, false)]
    [InlineData("https://*:30443", "0.0.0.0", 30443, false)]
    [InlineData("http://[::1]:30080", "::1", 30080, true)]
    [InlineData("http://localhost:30080", "127.0.0.1", 30080, true)]
    [InlineData("https://10.0.0.4:443", "10.0.0.4", 443, false)]
    public void Listen_addresses_are_parsed_from_urls(string url, string address, int port, bool loopback)
    {
        var (endpoint, error) = HubEndpoint.Parse(url);
        Assert.Null(error);
        Assert.Equal(address, endpoint!.Address.ToString());
        Assert.Equal(port, endpoint.Port);
        Assert.Equal(loopback, HubEndpoint.IsLoopback(endpoint));
    }

    [Theory]
    [InlineData("127.0.0.1:30080")]
    [InlineData("http://127.0.0.1")]
    [InlineData("grpc://127.0.0.1:1")]
    [InlineData("http://hub.example:30080")]
    [InlineData("http://127.0.0.1:30080/api")]
    public void Bad_listen_urls_are_errors(string url) => Assert.NotNull(HubEndpoint.Parse(url).Error);

    [Fact]
    public void Hub_lists_fail_over_in_order_and_a_bare_address_means_https_with_a_certificate()
    {
        Assert.Equal(["http://127.0.0.1:30080/", "https://hub-b.example:30443/"],
            HubConnectionOptions.ParseHubs(" 127.0.0.1:30080 , https://hub-b.example:30443").Select(u => u.ToString()));
        Assert.Equal(["https://hub.example:30443/"], HubConnectionOptions.ParseHubs("hub.example:30443", tls: true).Select(u => u.ToString()));
        Assert.Contains("--hub", Assert.Throws<ArgumentException>(() => HubConnectionOptions.ParseHubs("ftp://x:1")).Message);
        Assert.Contains("--hub", Assert.Throws<ArgumentException>(() => HubConnectionOptions.ParseHubs(" , ")).Message);
        Assert.Equal("--key: required with --cert", Assert.Throws<ArgumentException>(() => HubConnectionOptions.Resolve("127.0.0.1:1", certificate: "member.crt")).Message);
    }

    [Fact]
    public void Every_model_crosses_the_wire_unchanged()
    {
        var report = Seed.Export("web", Seed.T0, [new EndpointInfo("10.0.0.1", Ready: false, Serving: true, Terminating: true, Zone: "1"), new EndpointInfo("fd00::1")],
            Seed.Kuard(new ServicePort("http", "TCP", 80, 8080, "http"), new ServicePort(null, "UDP", 53)), weight: "7", revision: 42);
        RoundTrip(report, r => r.Wire(), w => w.Model());
        var condition = new Condition("Valid", "True", "ServiceIsValid", "ok", 3, Seed.T0);
        var export = new ServiceExportView("a", "web", "kuard", true, Seed.T0, report.Service, report.Endpoints, 7, [condition]);
        RoundTrip(export, e => e.Wire(), w => w.Model());
        RoundTrip(export with { Service = null, Exists = false, Conditions = [] }, e => e.Wire(), w => w.Model());
        var info = new ImportInfo("ClusterSetIP", report.Service!.Ports, "ClientIP", ["a", "b"]);
        var mcs = new MultiClusterServiceView("a", "web", "kuard", true, "kuard", true, "127.0.100.5", Seed.T0, [condition], info,
            [new Backend("a", "10.0.0.1")], false, "throttled", "IPv4", ["pip: /subscriptions/x"]);
        RoundTrip(mcs, m => m.Wire(), w => w.Model());
        RoundTrip(mcs with { ExternalIp = null, LoadBalancerError = null, LoadBalancerDetails = null }, m => m.Wire(), w => w.Model());
        var import = new ServiceImportView("web", "kuard", info, [new ImportClusterView("a", "Active", 2, "conflict", new FamilyCounts(1, 1))],
            [new ClusterNamespacedName("a", "web", "kuard")], 2, Seed.T0, new FamilyCounts(1, 1));
        RoundTrip(import, i => i.Wire(), w => w.Model());
        var member = new MemberClusterView("a", true, Seed.EastUs, Seed.T0, Seed.T0.AddMinutes(1), true, [condition],
            [new NamespacedName("web", "kuard")], [new NamespacedName("web", "kuard")], Virtual: true);
        RoundTrip(member, m => m.Wire(), w => w.Model());
        RoundTrip(member with { LastHeartbeat = null }, m => m.Wire(), w => w.Model());
        var changes = new MemberChanges([report], [new NamespacedName("web", "old")], [Seed.Mcs("web") with { Annotations = new Dictionary<string, string> { ["k"] = "v" } }],
            [new NamespacedName("web", "gone")], 99);
        RoundTrip(changes, c => c.Wire("a"), w => w.Model());
        RoundTrip(new MemberSyncResult([export], [mcs], [new SyncRejection("ServiceExport", new NamespacedName("web", "x"), "metadata.name", "bad")]), r => r.Wire(), w => w.Model());
        RoundTrip(new ManifestObject("v1", "Service", null, "kuard", "{}", 3), o => o.Wire(), w => w.Model());
        RoundTrip(new ManifestResult("Service", "web", "kuard", "created", "careful"), r => r.Wire(), w => w.Model());
    }

    private static void RoundTrip<T, TWire>(T model, Func<T, TWire> wire, Func<TWire, T> back) =>
        Assert.Equal(JsonSerializer.Serialize(model), JsonSerializer.Serialize(back(wire(model))));
}
