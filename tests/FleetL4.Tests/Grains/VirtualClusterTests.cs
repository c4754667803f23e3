using FleetL4.Members;
using FleetL4.Members.Resources;
using FleetL4.Models;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Grains;

/// <summary>Virtual members: Kubernetes objects applied to the hub, turned into exports and MCSes.</summary>
[Collection(HubCollection.Name)]
public sealed class VirtualClusterTests(HubFixture fixture)
{
    private readonly FleetTestCluster _hub = fixture.Hub;

    private static IReadOnlyList<ManifestObject> Yaml(string text) => ManifestReader.Read(text, "test.yaml");

    private static string Slice(string name, string address) => $"""
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {"{"} name: {name}, namespace: virtual, labels: {"{"} kubernetes.io/service-name: kuard {"}"} {"}"}
        addressType: IPv4
        endpoints:
          - addresses: ["{address}"]
        """;

    private const string Workload = """
        apiVersion: v1
        kind: Service
        metadata: { name: kuard, namespace: virtual }
        spec: { ports: [ { port: 8080 } ] }
        ---
        apiVersion: networking.fleet.azure.com/v1beta1
        kind: ServiceExport
        metadata: { name: kuard, namespace: virtual }
        """;

    [Fact]
    public async Task Deleting_an_EndpointSlice_withdraws_its_endpoints_and_a_bad_delete_removes_nothing()
    {
        var fleet = _hub.Fleet;
        await fleet.JoinClusterAsync("virtual-1", Seed.EastUs, isVirtual: true);
        await fleet.ApplyManifestsAsync("virtual-1", Yaml(Workload));
        await fleet.ApplyManifestsAsync("virtual-1", Yaml(Slice("kuard-a", "10.97.0.1")));
        await fleet.ApplyManifestsAsync("virtual-1", Yaml(Slice("kuard-b", "10.97.0.2")));
        Assert.Equal(["10.97.0.1", "10.97.0.2"], (await fleet.GetServiceExportAsync("virtual-1", "virtual", "kuard")).Endpoints.Select(e => e.Address).Order());

        // A file with one bad document: nothing is deleted.
        var bad = Yaml(Slice("kuard-b", "10.97.0.2") + "\n---\napiVersion: v1\nkind: Service\nmetadata: { name: Bad_Name, namespace: virtual }\n");
        var ex = await Assert.ThrowsAsync<FleetValidationException>(() => fleet.DeleteManifestsAsync("virtual-1", bad));
        Assert.Contains("document 2", ex.Message);
        Assert.Contains(await fleet.ListManifestsAsync("virtual-1"), o => o.Name == "kuard-b");

        var deleted = await fleet.DeleteManifestsAsync("virtual-1", Yaml(Slice("kuard-b", "10.97.0.2")));
        Assert.Equal("deleted", Assert.Single(deleted).Action);
        Assert.Equal(["10.97.0.1"], (await fleet.GetServiceExportAsync("virtual-1", "virtual", "kuard")).Endpoints.Select(e => e.Address));

        // The v1beta1 ServiceExport and a v1alpha1 one of the same name are one object.
        var again = await fleet.ApplyManifestsAsync("virtual-1", Yaml(Workload.Replace("v1beta1", "v1alpha1")));
        Assert.Equal("configured", again.Single(r => r.Kind == "ServiceExport").Action);
        Assert.Single(await fleet.ListServiceExportsAsync("virtual-1"));
    }

    [Fact]
    public async Task An_MCS_without_spec_is_refused_like_our_CRD_does_and_one_without_an_import_shows_Valid_False()
    {
        var fleet = _hub.Fleet;
        await fleet.JoinClusterAsync("virtual-2", Seed.EastUs, isVirtual: true);
        var noSpec = Yaml("""
            apiVersion: networking.fleet.azure.com/v1alpha1
            kind: MultiClusterService
            metadata: { name: kuard, namespace: no-spec }
            """);
        var ex = await Assert.ThrowsAsync<FleetValidationException>(() => fleet.ApplyManifestsAsync("virtual-2", noSpec));
        Assert.Equal("spec", ex.Field);
        Assert.Contains("document 1 (MultiClusterService no-spec/kuard)", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await fleet.ListManifestsAsync("virtual-2"), o => o.Kind == "MultiClusterService");

        // spec: {} passes the CRD (serviceImport is optional there, as upstream); the hub shows why it imports nothing.
        await fleet.ApplyManifestsAsync("virtual-2", Yaml("""
            apiVersion: networking.fleet.azure.com/v1alpha1
            kind: MultiClusterService
            metadata: { name: kuard, namespace: no-spec }
            spec: {}
            """));
        var mcs = await fleet.GetMultiClusterServiceAsync("virtual-2", "no-spec", "kuard");
        var valid = FleetL4.Domain.ConditionSet.Find(mcs.Conditions, ConditionTypes.Valid)!;
        Assert.Equal(("False", "InvalidSpec", "spec.serviceImport.name: is required; the multi-cluster service imports nothing until it is fixed"),
            (valid.Status, valid.Reason, valid.Message));
        Assert.Null(mcs.ExternalIp);
    }
}
