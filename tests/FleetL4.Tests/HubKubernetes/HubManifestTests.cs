using System.Text.Json.Nodes;
using FleetL4.HubKubernetes;
using k8s;

namespace FleetL4.Tests.HubKubernetes;

/// <summary>What the hub takes of an object on its API server: what the user applied, not what the server stamped.</summary>
public sealed class HubManifestTests
{
    private static UnstructuredObject Read(string json) => KubernetesJson.Deserialize<UnstructuredObject>(json);

    private static readonly HubKind Services = HubKinds.All.Single(k => k.Plural == "services");

    [Fact]
    public void The_hub_gets_the_object_as_applied_without_status_and_server_metadata()
    {
        var service = Read("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"kuard","namespace":"kuard-demo","uid":"u1","resourceVersion":"42",
              "creationTimestamp":"2026-12-01T10:00:00Z","generation":1,"labels":{"app":"kuard"},
              "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{...}","team":"web"},
              "managedFields":[{"manager":"kubectl","operation":"Apply"}]},
             "spec":{"ports":[{"port":8080}],"selector":{"app":"kuard"},"clusterIP":"10.0.0.9"},
             "status":{"loadBalancer":{}}}
            """);
        var manifest = HubManifest.Of(Services, service);
        Assert.Equal(("v1", "Service", "kuard-demo", "kuard"), (manifest.ApiVersion, manifest.Kind, manifest.Namespace, manifest.Name));
        var json = JsonNode.Parse(manifest.Json)!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"kuard","namespace":"kuard-demo","labels":{"app":"kuard"},"annotations":{"team":"web"}}"""), json["metadata"]));
        Assert.Null(json["status"]);
        Assert.Equal(8080, json["spec"]!["ports"]![0]!["port"]!.GetValue<int>());
    }

    [Fact]
    public void A_status_update_or_a_new_resourceVersion_is_no_change_to_the_hub()
    {
        var before = Read("""{"apiVersion":"placement.kubernetes-fleet.io/v1","kind":"ClusterResourcePlacement","metadata":{"name":"p","resourceVersion":"5","generation":1},"spec":{"resourceSelectors":[]}}""");
        var after = Read("""{"apiVersion":"placement.kubernetes-fleet.io/v1","kind":"ClusterResourcePlacement","metadata":{"name":"p","resourceVersion":"6","generation":1},"spec":{"resourceSelectors":[]},"status":{"conditions":[]}}""");
        var changed = Read("""{"apiVersion":"placement.kubernetes-fleet.io/v1","kind":"ClusterResourcePlacement","metadata":{"name":"p","resourceVersion":"7","generation":2},"spec":{"resourceSelectors":[{"group":"","version":"v1","kind":"Namespace"}]}}""");
        Assert.Equal(HubManifest.Of(HubKinds.Placements, before).Json, HubManifest.Of(HubKinds.Placements, after).Json);
        Assert.NotEqual(HubManifest.Of(HubKinds.Placements, before).Json, HubManifest.Of(HubKinds.Placements, changed).Json);
        Assert.Null(HubManifest.Of(HubKinds.Placements, before).Namespace);
    }

    [Theory]
    [InlineData("namespaces", null, "kuard-demo", true)]
    [InlineData("namespaces", null, "kube-system", false)]
    [InlineData("namespaces", null, "default", false)]
    [InlineData("services", "fleet-system", "hub", false)]
    [InlineData("services", "kuard-demo", "kuard", true)]
    [InlineData("configmaps", "kuard-demo", "kube-root-ca.crt", false)]
    [InlineData("configmaps", "kuard-demo", "settings", true)]
    [InlineData("clusterresourceplacements", null, "kuard-demo", true)]
    public void The_hub_takes_neither_reserved_namespaces_nor_each_namespace_s_root_CA(string plural, string? ns, string name, bool taken) =>
        Assert.Equal(taken, new WatchScope([]).Takes(HubKinds.All.Single(k => k.Plural == plural), ns, name));

    [Fact]
    public void With_namespaces_configured_the_hub_takes_only_theirs_and_every_placement()
    {
        var scope = new WatchScope(["kuard-demo"]);
        Assert.True(scope.Takes(Services, "kuard-demo", "kuard"));
        Assert.False(scope.Takes(Services, "other", "kuard"));
        Assert.False(scope.Takes(HubKinds.Namespaces, null, "other"));
        Assert.True(scope.Takes(HubKinds.Placements, null, "anything"));
    }
}
