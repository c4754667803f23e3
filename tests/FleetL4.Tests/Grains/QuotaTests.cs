using FleetL4.Client;
using FleetL4.HubApi;
using FleetL4.Members;
using FleetL4.Models;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Grains;

/// <summary>A hub with small quotas, and its API on a loopback socket: quotas hold for agents and the API alike.</summary>
public sealed class QuotaHubFixture : IAsyncLifetime
{
    public static readonly FleetQuotas Quotas = new()
    {
        ObjectBytes = 4096, ObjectsPerCluster = 6, BytesPerCluster = 12288, ExportsPerCluster = 3, EndpointsPerExport = 4, PortsPerService = 3,
    };

    public FleetTestCluster Hub { get; private set; } = null!;
    public HubApiHost Api { get; private set; } = null!;
    public FleetClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Hub = await FleetTestCluster.StartAsync(o => o.Quotas = Quotas, silos: 1);
        Api = await HubApiHost.StartAsync(Hub.Grains);
        Client = Api.Client();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Api.DisposeAsync();
        await Hub.DisposeAsync();
    }
}

/// <summary>
/// Each quota: at the limit taken, one more refused naming the quota, and the refused input leaves what was there
/// before untouched (a virtual batch is refused whole; a sync refuses only the object over the quota).
/// </summary>
public sealed class QuotaTests(QuotaHubFixture fixture) : IClassFixture<QuotaHubFixture>
{
    private const string Ns = "q";
    private readonly FleetGrains _fleet = fixture.Hub.Fleet;

    private static IReadOnlyList<ManifestObject> Yaml(string text) => ManifestReader.Read(text, "test.yaml");

    /// <summary>A ConfigMap whose JSON is exactly <paramref name="bytes"/> bytes.</summary>
    private static ManifestObject ConfigMap(string name, int bytes, char fill = 'x', int document = 1)
    {
        var head = $$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{name}}","namespace":"{{Ns}}"},"data":{"k":""" + "\"";
        const string tail = "\"}}";
        return new ManifestObject("v1", "ConfigMap", Ns, name, head + new string(fill, bytes - head.Length - tail.Length) + tail, document);
    }

    private static ExportedService Service(int ports) =>
        new("ClusterIP", "10.0.0.10", Enumerable.Range(1, ports).Select(p => new ServicePort($"p{p}", "TCP", 8000 + p)).ToArray());

    private static EndpointInfo[] Endpoints(int n) => Enumerable.Range(1, n).Select(i => new EndpointInfo($"10.98.0.{i}")).ToArray();

    private static string ServiceYaml(string name, int ports) => $"""
        apiVersion: v1
        kind: Service
        metadata: {"{"} name: {name}, namespace: {Ns} {"}"}
        spec: {"{"} ports: [{string.Join(", ", Enumerable.Range(1, ports).Select(p => $"{{ name: p{p}, port: {8000 + p} }}"))}] {"}"}
        """;

    private static string ExportYaml(string name) => $"""
        apiVersion: networking.fleet.azure.com/v1beta1
        kind: ServiceExport
        metadata: {"{"} name: {name}, namespace: {Ns} {"}"}
        """;

    private static void AssertQuota(string quota, FleetValidationException ex, string? document = null)
    {
        Assert.Equal($"quota FleetL4:Quotas:{quota}", ex.Field);
        Assert.StartsWith($"quota FleetL4:Quotas:{quota}: ", ex.Message, StringComparison.Ordinal);
        if (document is not null) Assert.Contains(document, ex.Detail, StringComparison.Ordinal);
    }

    private async Task<string> Data(string cluster, string name, string kind = "ConfigMap") =>
        (await _fleet.ListManifestsAsync(cluster)).Single(o => o.Kind == kind && o.Name == name).Json;

    // ---- virtual members: the batch is refused whole ----

    [Fact]
    public async Task An_object_of_ObjectBytes_is_stored_and_one_byte_more_is_refused_leaving_the_old_one()
    {
        await _fleet.JoinClusterAsync("quota-bytes", Seed.EastUs, isVirtual: true);
        await _fleet.ApplyManifestsAsync("quota-bytes", [ConfigMap("big", 4096)]);
        var stored = await Data("quota-bytes", "big");

        var ex = await Assert.ThrowsAsync<FleetValidationException>(() =>
            _fleet.ApplyManifestsAsync("quota-bytes", [ConfigMap("other", 200, document: 1), ConfigMap("big", 4097, 'y', document: 2)]));
        AssertQuota("ObjectBytes", ex, "document 2 (ConfigMap big): 4097 bytes of JSON in one object; at most 4096");

        Assert.Equal(stored, await Data("quota-bytes", "big"));
        Assert.DoesNotContain(await _fleet.ListManifestsAsync("quota-bytes"), o => o.Name == "other");
    }

    [Fact]
    public async Task ObjectsPerCluster_objects_are_stored_and_a_batch_adding_one_more_changes_nothing()
    {
        await _fleet.JoinClusterAsync("quota-objects", Seed.EastUs, isVirtual: true);
        await _fleet.ApplyManifestsAsync("quota-objects", Enumerable.Range(0, 6).Select(i => ConfigMap($"cm-{i}", 200)).ToList());
        var stored = await Data("quota-objects", "cm-0");

        var ex = await Assert.ThrowsAsync<FleetValidationException>(() =>
            _fleet.ApplyManifestsAsync("quota-objects", [ConfigMap("cm-0", 200, 'y'), ConfigMap("cm-6", 200)]));
        AssertQuota("ObjectsPerCluster", ex, "7 objects in cluster quota-objects; at most 6");

        var objects = await _fleet.ListManifestsAsync("quota-objects");
        Assert.Equal(6, objects.Count);
        Assert.Equal(stored, await Data("quota-objects", "cm-0"));
        // At the quota, what is there can still change.
        Assert.Equal("configured", Assert.Single(await _fleet.ApplyManifestsAsync("quota-objects", [ConfigMap("cm-0", 200, 'y')])).Action);
    }

    [Fact]
    public async Task BytesPerCluster_bounds_the_sum_of_a_clusters_objects()
    {
        await _fleet.JoinClusterAsync("quota-total", Seed.EastUs, isVirtual: true);
        await _fleet.ApplyManifestsAsync("quota-total", [ConfigMap("a", 4000), ConfigMap("b", 4000)]);

        var ex = await Assert.ThrowsAsync<FleetValidationException>(() => _fleet.ApplyManifestsAsync("quota-total", [ConfigMap("c", 4000)]));
        AssertQuota("BytesPerCluster", ex, "bytes of objects in cluster quota-total; at most 12288");
        Assert.Equal(["a", "b"], (await _fleet.ListManifestsAsync("quota-total")).Select(o => o.Name).Order());
    }

    [Fact]
    public async Task A_virtual_cluster_holds_ExportsPerCluster_exports_and_refuses_a_batch_adding_one_more()
    {
        await _fleet.JoinClusterAsync("quota-vexports", Seed.EastUs, isVirtual: true);
        await _fleet.ApplyManifestsAsync("quota-vexports", Yaml(string.Join("\n---\n", new[] { "a", "b", "c" }.Select(ExportYaml))));

        var ex = await Assert.ThrowsAsync<FleetValidationException>(() => _fleet.ApplyManifestsAsync("quota-vexports", Yaml(ExportYaml("d"))));
        AssertQuota("ExportsPerCluster", ex, "4 ServiceExports in cluster quota-vexports; at most 3");

        Assert.Equal(["a", "b", "c"], (await _fleet.ListManifestsAsync("quota-vexports")).Select(o => o.Name).Order());
        Assert.Equal(["a", "b", "c"], (await _fleet.ListServiceExportsAsync("quota-vexports")).Select(e => e.Name).Order());
    }

    [Fact]
    public async Task A_virtual_Service_of_PortsPerService_ports_is_exported_and_one_more_port_is_refused()
    {
        await _fleet.JoinClusterAsync("quota-vports", Seed.EastUs, isVirtual: true);
        await _fleet.ApplyManifestsAsync("quota-vports", Yaml(ServiceYaml("kuard", 3) + "\n---\n" + ExportYaml("kuard")));

        var ex = await Assert.ThrowsAsync<FleetValidationException>(() => _fleet.ApplyManifestsAsync("quota-vports", Yaml(ServiceYaml("kuard", 4))));
        AssertQuota("PortsPerService", ex, "document 1 (Service q/kuard): 4 ports in Service q/kuard; at most 3");

        Assert.Equal(3, (await _fleet.GetServiceExportAsync("quota-vports", Ns, "kuard")).Service!.Ports.Count);
        Assert.Contains("p3", await Data("quota-vports", "kuard", "Service"));
        Assert.DoesNotContain("p4", await Data("quota-vports", "kuard", "Service"));
    }

    [Fact]
    public async Task Virtual_EndpointSlices_adding_up_to_more_than_EndpointsPerExport_are_refused()
    {
        static string Slice(string name, params string[] addresses) => $"""
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {"{"} name: {name}, namespace: {Ns}, labels: {"{"} kubernetes.io/service-name: kuard {"}"} {"}"}
            addressType: IPv4
            endpoints: [{string.Join(", ", addresses.Select(a => $"{{ addresses: [\"{a}\"] }}"))}]
            """;
        await _fleet.JoinClusterAsync("quota-vendpoints", Seed.EastUs, isVirtual: true);
        await _fleet.ApplyManifestsAsync("quota-vendpoints", Yaml(string.Join("\n---\n",
            ServiceYaml("kuard", 1), ExportYaml("kuard"), Slice("kuard-a", "10.98.1.1", "10.98.1.2"), Slice("kuard-b", "10.98.1.3", "10.98.1.4"))));

        var ex = await Assert.ThrowsAsync<FleetValidationException>(() => _fleet.ApplyManifestsAsync("quota-vendpoints", Yaml(Slice("kuard-c", "10.98.1.5"))));
        AssertQuota("EndpointsPerExport", ex, "5 endpoints of one address family in export q/kuard");

        // One slice over the quota by itself names the export it is for, and leaves the old slice.
        var one = await Assert.ThrowsAsync<FleetValidationException>(() => _fleet.ApplyManifestsAsync("quota-vendpoints",
            Yaml(Slice("kuard-a", "10.98.1.1", "10.98.1.2", "10.98.1.5", "10.98.1.6", "10.98.1.7"))));
        AssertQuota("EndpointsPerExport", one, "document 1 (EndpointSlice q/kuard-a): 5 endpoints of one address family in export q/kuard");

        Assert.Equal(4, (await _fleet.GetServiceExportAsync("quota-vendpoints", Ns, "kuard")).Endpoints.Count);
        Assert.DoesNotContain(await _fleet.ListManifestsAsync("quota-vendpoints"), o => o.Name == "kuard-c");
        Assert.DoesNotContain("10.98.1.5", await Data("quota-vendpoints", "kuard-a", "EndpointSlice"));
    }

    // ---- agents: each object on its own ----

    [Fact]
    public async Task A_sync_takes_the_exports_that_fit_and_rejects_new_ones_beyond_ExportsPerCluster()
    {
        const string cluster = "quota-exports";
        await _fleet.JoinClusterAsync(cluster, Seed.EastUs);
        ServiceExportReport Report(string name, params EndpointInfo[] endpoints) => Seed.Export(Ns, Seed.T0, endpoints, name: name);
        var first = await _fleet.SyncAsync(cluster, new MemberChanges([Report("a"), Report("b"), Report("c")], [], [], []));
        Assert.Empty(first.Rejected);

        var over = await _fleet.SyncAsync(cluster, new MemberChanges([Report("a", Seed.Ready("10.98.2.1")), Report("d")], [], [], []));
        var rejection = Assert.Single(over.Rejected);
        Assert.Equal(new NamespacedName(Ns, "d"), rejection.Object);
        AssertQuota("ExportsPerCluster", rejection.ToException(), "4 ServiceExports in cluster quota-exports with q/d; at most 3");
        Assert.Equal(["a"], over.Exports.Select(e => e.Name)); // the existing export took its report
        Assert.Equal(["a", "b", "c"], (await _fleet.ListServiceExportsAsync(cluster)).Select(e => e.Name).Order());
        Assert.Equal(["10.98.2.1"], (await _fleet.GetServiceExportAsync(cluster, Ns, "a")).Endpoints.Select(e => e.Address));
        Assert.False((await _fleet.GetServiceExportAsync(cluster, Ns, "d")).Exists);

        // A removal in the same sync makes room.
        var swap = await _fleet.SyncAsync(cluster, new MemberChanges([Report("d")], [new NamespacedName(Ns, "c")], [], []));
        Assert.Empty(swap.Rejected);
        Assert.Equal(["a", "b", "d"], (await _fleet.ListServiceExportsAsync(cluster)).Select(e => e.Name).Order());
    }

    [Fact]
    public async Task A_report_of_EndpointsPerExport_endpoints_is_taken_and_one_more_is_refused_keeping_the_old_ones()
    {
        await _fleet.JoinClusterAsync("quota-endpoints", Seed.EastUs);
        await _fleet.ReportServiceExportAsync("quota-endpoints", Seed.Export(Ns, Seed.T0, Endpoints(4)));

        var ex = await Assert.ThrowsAsync<FleetValidationException>(() =>
            _fleet.ReportServiceExportAsync("quota-endpoints", Seed.Export(Ns, Seed.T0, Endpoints(5))));
        AssertQuota("EndpointsPerExport", ex, "5 endpoints of one address family in export q/kuard");
        Assert.Equal(Endpoints(4).Select(e => e.Address), (await _fleet.GetServiceExportAsync("quota-endpoints", Ns, "kuard")).Endpoints.Select(e => e.Address).Order());
    }

    // ---- the hub API: a member calling it directly meets the same quotas ----

    [Fact]
    public async Task Through_the_hub_API_a_Service_over_PortsPerService_and_an_object_over_ObjectBytes_are_refused()
    {
        var client = fixture.Client;
        await client.JoinClusterAsync("quota-api", Seed.EastUs);
        await client.ReportServiceExportAsync("quota-api", Seed.Export(Ns, Seed.T0, Endpoints(1), Service(3)));

        var ports = await Assert.ThrowsAsync<FleetValidationException>(() =>
            client.ReportServiceExportAsync("quota-api", Seed.Export(Ns, Seed.T0, Endpoints(1), Service(4))));
        Assert.Equal("quota FleetL4:Quotas:PortsPerService: 4 ports in Service q/kuard; at most 3", ports.Message);
        Assert.Equal(3, (await client.GetServiceExportAsync("quota-api", Ns, "kuard")).Service!.Ports.Count);

        await client.JoinClusterAsync("quota-api-virtual", Seed.EastUs, isVirtual: true);
        await client.ApplyManifestsAsync("quota-api-virtual", [ConfigMap("big", 4096)]);
        var bytes = await Assert.ThrowsAsync<FleetValidationException>(() => client.ApplyManifestsAsync("quota-api-virtual", [ConfigMap("big", 4097, 'y')]));
        AssertQuota("ObjectBytes", bytes, "document 1 (ConfigMap big): 4097 bytes");
        Assert.DoesNotContain("yyy", Assert.Single(await client.ListManifestsAsync("quota-api-virtual")).Json);
    }
}
