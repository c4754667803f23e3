using FleetL4.Members;
using FleetL4.Models;
using FleetL4.Tests.Infrastructure;
using FleetL4.Tests.Members;

namespace FleetL4.Tests.Grains;

/// <summary>A virtual cluster refuses a file with any bad field, naming it, and stores nothing of that file.</summary>
[Collection(HubCollection.Name)]
public sealed class ManifestRefusalTests(HubFixture fixture)
{
    private const string Cluster = "virtual-refusal";
    private readonly FleetTestCluster _hub = fixture.Hub;

    private static IReadOnlyList<ManifestObject> Yaml(string text) => ManifestReader.Read(text, "test.yaml");

    private async Task<IReadOnlyList<string>> Stored() =>
        [.. (await _hub.Fleet.ListManifestsAsync(Cluster)).Select(o => o.Json).Order(StringComparer.Ordinal)];

    private async Task<IReadOnlyList<string>> Joined()
    {
        await _hub.Fleet.JoinClusterAsync(Cluster, Seed.EastUs, isVirtual: true);
        await _hub.Fleet.ApplyManifestsAsync(Cluster, Yaml(ManifestCases.Service() + "\n---\n" + ManifestCases.Export() + "\n---\n" + ManifestCases.Slice()));
        return await Stored();
    }

    [Theory]
    [MemberData(nameof(ManifestCases.Bad), MemberType = typeof(ManifestCases))]
    public async Task A_file_with_a_bad_field_is_refused_naming_it_and_nothing_of_the_file_is_stored(string bad, string field)
    {
        var before = await Joined();
        // The good document first: it must not be stored either.
        var text = ManifestCases.Object("v1", "ConfigMap", "{ name: kuard-settings, namespace: kuard-demo }") + "\n---\n" + bad;
        var ex = await Assert.ThrowsAsync<FleetValidationException>(() => _hub.Fleet.ApplyManifestsAsync(Cluster, Yaml(text))); // the reader refuses a few (a name that is not a string) itself
        Assert.Equal(field, ex.Field);
        Assert.Contains("document 2 (", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, await Stored());
        Assert.Equal(["10.1.0.1"], (await _hub.Fleet.GetServiceExportAsync(Cluster, "kuard-demo", "kuard")).Endpoints.Select(e => e.Address));
    }

    [Fact]
    public async Task A_ServiceExport_of_an_apiVersion_we_do_not_serve_is_refused_and_an_unknown_kind_is_stored_with_a_warning()
    {
        await Joined();
        var ex = await Assert.ThrowsAsync<FleetValidationException>(() => _hub.Fleet.ApplyManifestsAsync(Cluster, Yaml(ManifestCases.Export("v1"))));
        Assert.Contains("v1 is not served for ServiceExport; served: networking.fleet.azure.com/v1alpha1, networking.fleet.azure.com/v1beta1", ex.Message, StringComparison.Ordinal);

        var results = await _hub.Fleet.ApplyManifestsAsync(Cluster, Yaml(ManifestCases.Object("serving.knative.dev/v1", "Service", "{ name: kuard, namespace: kuard-demo }")));
        Assert.Equal("stored; FleetL4 does not act on serving.knative.dev/v1 Service", Assert.Single(results).Warning);
    }

    [Fact]
    public async Task An_address_that_several_slices_list_is_one_endpoint_of_the_export()
    {
        await Joined();
        // Three slices list 10.1.0.1 (the pod moving between them) and two spell one IPv6 address two ways.
        var slices = string.Join("\n---\n",
            ManifestCases.Slice(name: "kuard-b", endpoints: "[ { addresses: [\"10.1.0.1\"], conditions: { ready: false } }, { addresses: [\"10.1.0.2\"] } ]"),
            ManifestCases.Slice(name: "kuard-c", endpoints: "[ { addresses: [\"10.1.0.1\"] }, { addresses: [\"10.1.0.2\"] } ]"),
            ManifestCases.Slice(name: "kuard-v6-a", addressType: "addressType: IPv6", endpoints: "[ { addresses: [\"fd00::1\"] } ]"),
            ManifestCases.Slice(name: "kuard-v6-b", addressType: "addressType: IPv6", endpoints: "[ { addresses: [\"FD00:0:0::1\"] } ]"));
        await _hub.Fleet.ApplyManifestsAsync(Cluster, Yaml(slices));
        var export = await _hub.Fleet.GetServiceExportAsync(Cluster, "kuard-demo", "kuard");
        Assert.Equal(["10.1.0.1", "10.1.0.2", "fd00::1"], export.Endpoints.Select(e => e.Address).Order(StringComparer.Ordinal));
        Assert.True(export.Endpoints.Single(e => e.Address == "10.1.0.1").Ready); // the ready copy wins, as kube-proxy merges
        await _hub.Fleet.DeleteManifestsAsync(Cluster, Yaml(slices));
    }
}
