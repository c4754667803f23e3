using FleetL4.Members;
using FleetL4.Members.Resources;
using FleetL4.Models;
using FleetL4.Tests.Infrastructure;
using Orleans.TestingHost;

namespace FleetL4.Tests.Grains;

/// <summary>
/// Endpoint-only changes are written behind (FleetL4:EndpointWriteBehind). When the silo holding such changes dies,
/// the export comes back from storage with older endpoints, and asks its member for the export again: no change the
/// hub acknowledged is lost for good.
/// </summary>
public sealed class UnsavedEndpointsTests : IAsyncLifetime
{
    private readonly SiloPins _pins = new();
    private FleetTestCluster _hub = null!;

    // A write-behind window no test outlives: what the dead silo held was never written.
    public async Task InitializeAsync() => _hub = await FleetTestCluster.StartAsync(
        configure: o => o.EndpointWriteBehind = TimeSpan.FromHours(1), configureSilo: _pins.Configure);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private InProcessSiloHandle Primary => _hub.Cluster.Silos[0];
    private InProcessSiloHandle Secondary => _hub.Cluster.Silos[^1];

    private static IReadOnlyList<ManifestObject> Yaml(string text) => ManifestReader.Read(text, "test.yaml");

    private static string Workload(string ns, params string[] addresses) => $$"""
        apiVersion: v1
        kind: Service
        metadata: { name: kuard, namespace: {{ns}} }
        spec: { ports: [ { port: 8080 } ] }
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: { name: kuard-a, namespace: {{ns}}, labels: { kubernetes.io/service-name: kuard } }
        addressType: IPv4
        endpoints: [{{string.Join(", ", addresses.Select(a => $"{{ addresses: [\"{a}\"] }}"))}}]
        ---
        apiVersion: networking.fleet.azure.com/v1beta1
        kind: ServiceExport
        metadata: { name: kuard, namespace: {{ns}} }
        """;

    [Fact]
    public async Task A_virtual_clusters_endpoint_change_held_by_a_silo_that_dies_reaches_the_load_balancer_again()
    {
        const string ns = "unsaved-virtual";
        var fleet = _hub.Fleet;
        var export = _hub.Grains.GetGrain<IServiceExportGrain>(GrainKeys.Export("virtual-1", ns, "kuard"));
        var import = _hub.Grains.GetGrain<IServiceImportGrain>(GrainKeys.Import(ns, "kuard"));
        var id = GrainKeys.MultiClusterService("virtual-1", ns, "kuard");
        _pins.Pin(export, Secondary);
        _pins.Pin(import, Secondary);
        _pins.Pin(_hub.Grains.GetGrain<IMultiClusterServiceGrain>(id), Primary);
        await fleet.JoinClusterAsync("virtual-1", Seed.EastUs, isVirtual: true);
        await fleet.ApplyManifestsAsync("virtual-1", Yaml(Workload(ns, "10.71.0.1")));
        await fleet.ApplyMultiClusterServiceAsync("virtual-1", Seed.Mcs(ns));
        await _hub.WaitForBackendsAsync(id, "10.71.0.1");
        var exportWrites = _hub.Store.Writes(GrainKeys.Export("virtual-1", ns, "kuard"));

        // Two endpoint-only changes: acknowledged, taken by the load balancer, not written (the window is an hour).
        await fleet.ApplyManifestsAsync("virtual-1", Yaml(Workload(ns, "10.71.0.1", "10.71.0.2")));
        await fleet.ApplyManifestsAsync("virtual-1", Yaml(Workload(ns, "10.71.0.1", "10.71.0.2", "10.71.0.3")));
        await _hub.WaitForBackendsAsync(id, "10.71.0.1", "10.71.0.2", "10.71.0.3");
        // The first change of the activation writes once (with the marker); the second waits for the window.
        Assert.Equal(exportWrites + 1, _hub.Store.Writes(GrainKeys.Export("virtual-1", ns, "kuard")));

        await _pins.KillHostOfAsync(_hub, export, import);

        // Nobody sends anything again; a user reading the import brings it back, and it rebuilds from the exports.
        var imported = await Eventually.Get(() => SiloPins.Tolerant(() => fleet.GetServiceImportAsync(ns, "kuard")),
            i => i?.BackendCount == 3, "the import holds all three endpoints again", TimeSpan.FromSeconds(30));
        Assert.Equal(3, imported!.BackendCount);
        await _hub.WaitForBackendsAsync(id, "10.71.0.1", "10.71.0.2", "10.71.0.3");
        var view = await fleet.GetServiceExportAsync("virtual-1", ns, "kuard");
        Assert.Equal(["10.71.0.1", "10.71.0.2", "10.71.0.3"], view.Endpoints.Select(e => e.Address).Order());
    }
}
