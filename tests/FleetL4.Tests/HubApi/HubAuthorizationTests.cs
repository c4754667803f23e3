using FleetL4.Client;
using FleetL4.HubApi;
using FleetL4.Models;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.HubApi;

/// <summary>A hub whose API takes mutual TLS only; cluster "auth-b" has an export, an MCS and its import.</summary>
public sealed class MutualTlsHubFixture : IAsyncLifetime
{
    public const string Ns = "authz";

    public TestCertificates Certificates { get; } = new();
    public FleetTestCluster Hub { get; private set; } = null!;
    public HubApiHost Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Hub = await FleetTestCluster.StartAsync();
        Api = await HubApiHost.StartAsync(Hub.Grains, new HubTlsOptions
        {
            CertificateFile = Certificates.ServerCertificateFile,
            KeyFile = Certificates.ServerKeyFile,
            ClientCaFile = Certificates.CaFile,
            AdminNames = "fleet-admin, ops",
        });
        foreach (var cluster in new[] { "auth-a", "auth-b" }) await Hub.Fleet.JoinClusterAsync(cluster, Seed.EastUs, isVirtual: true);
        await Hub.Fleet.ReportServiceExportAsync("auth-b", Seed.Export(Ns, Seed.T0, Seed.Ready("10.20.0.1")));
        await Hub.Fleet.ApplyMultiClusterServiceAsync("auth-b", Seed.Mcs(Ns));
    }

    /// <summary>A client of the API with this identity's certificate (from <paramref name="certificate"/>), trusting the fleet's CA.</summary>
    public FleetClient As((string Certificate, string Key)? certificate) => Api.Client(new HubConnectionOptions
    {
        Hubs = [new Uri($"https://127.0.0.1:{Api.Url.Port}")],
        CertificateFile = certificate?.Certificate,
        KeyFile = certificate?.Key,
        CaFile = Certificates.CaFile,
    });

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Hub.DisposeAsync();
        Certificates.Dispose();
    }
}

/// <summary>
/// Who may do what through the hub API, over real TLS sockets: a member acts on its own cluster only, admins on
/// all; a refused call is PermissionDenied naming identity and cluster, is logged, and changes nothing.
/// </summary>
public sealed class HubAuthorizationTests(MutualTlsHubFixture fixture) : IClassFixture<MutualTlsHubFixture>
{
    private const string Ns = MutualTlsHubFixture.Ns;

    /// <summary>Every call type, made by member "auth-a" on cluster "auth-b" (or, for admin-only calls, on its own).</summary>
    public static TheoryData<string> Impersonations => new()
    {
        "JoinCluster", "JoinCluster virtual", "LeaveCluster", "Heartbeat", "GetMemberCluster", "ListMemberClusters",
        "Sync report", "Sync remove", "Sync apply MCS", "Sync delete MCS", "WatchStatus",
        "GetServiceExport", "ListServiceExports", "GetServiceImport", "GetMultiClusterService", "DescribeMultiClusterService",
        "ListMultiClusterServices", "ApplyManifests", "DeleteManifests", "ListManifests",
        "ApplyManifests hub", "DeleteManifests hub", "ListManifests hub", "LabelCluster", "GetPlacement", "ListPlacements",
        "GetWork", "ReportWork",
    };

    private static Task Call(FleetClient fleet, string call) => call switch
    {
        "JoinCluster" => fleet.JoinClusterAsync("auth-b", Seed.WestUs),
        "JoinCluster virtual" => fleet.JoinClusterAsync("auth-a", Seed.EastUs, isVirtual: true),
        "LeaveCluster" => fleet.LeaveClusterAsync("auth-b"),
        "Heartbeat" => fleet.HeartbeatAsync("auth-b"),
        "GetMemberCluster" => fleet.GetMemberClusterAsync("auth-b"),
        "ListMemberClusters" => fleet.ListMemberClustersAsync("auth-b"),
        "Sync report" => fleet.ReportServiceExportAsync("auth-b", Seed.Export(Ns, Seed.T0, Seed.Ready("10.66.6.6"))),
        "Sync remove" => fleet.RemoveServiceExportAsync("auth-b", Ns, "kuard"),
        "Sync apply MCS" => fleet.ApplyMultiClusterServiceAsync("auth-b", Seed.Mcs(Ns, name: "stolen")),
        "Sync delete MCS" => fleet.DeleteMultiClusterServiceAsync("auth-b", Ns, "kuard"),
        "WatchStatus" => Drain(fleet.WatchStatusAsync("auth-b")),
        "GetServiceExport" => fleet.GetServiceExportAsync("auth-b", Ns, "kuard"),
        "ListServiceExports" => fleet.ListServiceExportsAsync("auth-b", Ns),
        "GetServiceImport" => fleet.GetServiceImportAsync(Ns, "kuard"),
        "GetMultiClusterService" => fleet.GetMultiClusterServiceAsync("auth-b", Ns, "kuard"),
        "DescribeMultiClusterService" => fleet.DescribeMultiClusterServiceAsync("auth-b", Ns, "kuard"),
        "ListMultiClusterServices" => fleet.ListMultiClusterServicesAsync("auth-b"),
        "ApplyManifests" => fleet.ApplyManifestsAsync("auth-a", [Manifest()]),
        "DeleteManifests" => fleet.DeleteManifestsAsync("auth-a", [Manifest()]),
        "ListManifests" => fleet.ListManifestsAsync("auth-a"),
        "ApplyManifests hub" => fleet.ApplyManifestsAsync(null, [Manifest()]),
        "DeleteManifests hub" => fleet.DeleteManifestsAsync(null, [Manifest()]),
        "ListManifests hub" => fleet.ListManifestsAsync(null),
        "LabelCluster" => fleet.LabelClusterAsync("auth-a", Seed.WestUs, []),
        "GetPlacement" => fleet.GetPlacementAsync("any"),
        "ListPlacements" => fleet.ListPlacementsAsync(),
        "GetWork" => fleet.GetWorkAsync("auth-b"),
        "ReportWork" => fleet.ReportWorkAsync("auth-b", new ClusterWorkReport([], [])),
        _ => throw new ArgumentOutOfRangeException(nameof(call), call, null),
    };

    [Theory]
    [MemberData(nameof(Impersonations))]
    public async Task A_member_is_refused_every_call_on_another_cluster_and_nothing_changes(string call)
    {
        var before = await State();
        using var member = fixture.As(fixture.Certificates.Client("auth-a"));
        var refused = await Assert.ThrowsAsync<HubRefusedException>(() => Call(member, call));
        Assert.Equal("Forbidden", refused.Reason);
        Assert.Contains("member \"auth-a\"", refused.Message);
        Assert.Contains(call switch
        {
            _ when call.Contains("Manifests") || call.EndsWith("virtual") || call is "LeaveCluster" or "LabelCluster" || call.Contains("Placement") => "admins only",
            "GetServiceImport" => $"ServiceImport {Ns}/kuard: no MultiClusterService of cluster \"auth-a\" imports it",
            _ => "cluster \"auth-b\"",
        }, refused.Message);
        Assert.Equal(before, await State());
        Assert.Contains(fixture.Api.Warnings, w => w.StartsWith("Refused: member \"auth-a\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_member_acts_on_and_reads_its_own_cluster_and_the_imports_its_MCSes_use()
    {
        using var member = fixture.As(fixture.Certificates.Client("auth-b"));
        Assert.True((await member.JoinClusterAsync("auth-b", Seed.EastUs)).Joined);
        var export = await member.ReportServiceExportAsync("auth-b", Seed.Export(Ns, Seed.T0, Seed.Ready("10.20.0.1", "10.20.0.2"), name: "second"));
        Assert.True(export.Exists);
        Assert.Equal("second", (await member.GetServiceExportAsync("auth-b", Ns, "second")).Name);
        // A list without a cluster is the member's own cluster: never another's objects.
        Assert.All(await member.ListServiceExportsAsync(), e => Assert.Equal("auth-b", e.Cluster));
        Assert.Equal(["auth-b"], (await member.ListMemberClustersAsync()).Select(m => m.Name));
        Assert.Equal("kuard", (await member.GetServiceImportAsync(Ns, "kuard")).Name); // its MCS kuard imports it
        await member.RemoveServiceExportAsync("auth-b", Ns, "second");
        // Removing its own cluster from the fleet is the operator's decision.
        Assert.Contains("admins only", (await Assert.ThrowsAsync<HubRefusedException>(() => member.LeaveClusterAsync("auth-b"))).Message);
        await foreach (var update in member.WatchStatusAsync("auth-b"))
        {
            Assert.True(update.Resync);
            Assert.Contains(update.MultiClusterServices, m => m.Name == "kuard");
            break;
        }

        // A cluster whose MCSes do not import it may not read it.
        using var other = fixture.As(fixture.Certificates.Client("auth-a"));
        var refused = await Assert.ThrowsAsync<HubRefusedException>(() => other.GetServiceImportAsync(Ns, "kuard"));
        Assert.Contains("no MultiClusterService of cluster \"auth-a\" imports it", refused.Message);
        Assert.Empty(await other.ListServiceImportsAsync());
    }

    [Fact]
    public async Task An_admin_may_do_everything()
    {
        using var admin = fixture.As(fixture.Certificates.Client("ops"));
        Assert.Contains("auth-b", (await admin.ListMemberClustersAsync()).Select(m => m.Name));
        Assert.Contains(await admin.ListServiceExportsAsync(), e => e.Cluster == "auth-b");
        Assert.Equal("auth-b", (await admin.GetMultiClusterServiceAsync("auth-b", Ns, "kuard")).Cluster);
        Assert.Contains(await admin.ListServiceImportsAsync(), i => i.Name == "kuard");
        Assert.Equal("created", (await admin.ApplyManifestsAsync("auth-a", [Manifest()]))[0].Action);
        Assert.Equal("deleted", (await admin.DeleteManifestsAsync("auth-a", [Manifest()]))[0].Action);
    }

    public static TheoryData<string, string> BadCertificates => new()
    {
        { "none", "a client certificate issued by the fleet's CA is required" },
        { "another CA", "is not issued by the fleet's CA" },
        { "expired", "expired at" },
        { "the hub's server certificate", "is not for client authentication" },
    };

    [Theory]
    [MemberData(nameof(BadCertificates))]
    public async Task A_caller_without_a_valid_certificate_of_the_fleet_is_unauthenticated(string certificate, string reason)
    {
        var before = await State();
        using var caller = fixture.As(certificate switch
        {
            "none" => null,
            "another CA" => fixture.Certificates.ClientOfOtherCa("auth-b"),
            "the hub's server certificate" => (fixture.Certificates.ServerCertificateFile, fixture.Certificates.ServerKeyFile),
            _ => fixture.Certificates.ExpiredClient("auth-b"),
        });
        foreach (var call in new Func<Task>[]
                 {
                     () => caller.GetMemberClusterAsync("auth-b"),
                     () => caller.DeleteMultiClusterServiceAsync("auth-b", Ns, "kuard"),
                     () => Drain(caller.WatchStatusAsync("auth-b")),
                 })
        {
            var refused = await Assert.ThrowsAsync<HubRefusedException>(call);
            Assert.Equal("Unauthorized", refused.Reason);
            Assert.Contains(reason, refused.Message);
        }
        Assert.Equal(before, await State());
    }

    [Fact]
    public async Task A_hub_whose_certificate_the_client_does_not_trust_is_not_called()
    {
        using var caller = fixture.Api.Client(new HubConnectionOptions
        {
            Hubs = [new Uri($"https://127.0.0.1:{fixture.Api.Url.Port}")],
            CertificateFile = fixture.Certificates.Client("auth-b").Certificate,
            KeyFile = fixture.Certificates.Client("auth-b").Key,
            CaFile = fixture.Certificates.OtherCaFile,
        });
        var ex = await Assert.ThrowsAsync<HubUnreachableException>(() => caller.GetMemberClusterAsync("auth-b"));
        Assert.Contains("cannot connect to the FleetL4 hub at https://127.0.0.1:", ex.Message);
        Assert.Contains("SSL", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static ManifestObject Manifest() =>
        new("v1", "ConfigMap", Ns, "note", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"note","namespace":"authz"}}""");

    private static async Task Drain(IAsyncEnumerable<StatusUpdate> stream)
    {
        await foreach (var _ in stream) break;
    }

    /// <summary>What cluster auth-b has on the hub, as text: equal before and after a refused call.</summary>
    private async Task<string> State()
    {
        var member = await fixture.Hub.Fleet.GetMemberClusterAsync("auth-b");
        var export = await fixture.Hub.Fleet.GetServiceExportAsync("auth-b", Ns, "kuard");
        var mcs = await fixture.Hub.Fleet.GetMultiClusterServiceAsync("auth-b", Ns, "kuard");
        var a = await fixture.Hub.Fleet.GetMemberClusterAsync("auth-a");
        return string.Join("|", member.Joined, string.Join(",", member.Labels), string.Join(",", member.ServiceExports), string.Join(",", member.MultiClusterServices),
            export.Exists, string.Join(",", export.Endpoints.Select(e => e.Address)), mcs.Exists, mcs.ServiceImportName,
            a.Virtual, (await fixture.Hub.Fleet.ListManifestsAsync("auth-a")).Count, (await fixture.Hub.Fleet.ListManifestsAsync(null)).Count,
            string.Join(",", a.Labels));
    }
}
