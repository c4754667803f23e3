using System.Text.Json.Nodes;
using FleetL4.Domain;
using FleetL4.Models;

namespace FleetL4.Tests.Domain;

public class PlacedObjectTests
{
    private static ManifestObject Hub(string apiVersion, string kind, string? ns, string json) =>
        new(apiVersion, kind, ns, "kuard", json, Document: 3);

    private static JsonObject Placed(ManifestObject o) => JsonNode.Parse(PlacedObject.ForMember(o, "kuard-demo").Json)!.AsObject();

    private const string ServerSet = """
        "uid": "6f1c", "resourceVersion": "42", "generation": 3, "creationTimestamp": "2026-01-01T00:00:00Z",
        "managedFields": [{"manager": "kubectl"}], "selfLink": "/api/v1/x", "deletionTimestamp": "2026-01-02T00:00:00Z",
        "deletionGracePeriodSeconds": 30, "ownerReferences": [{"kind": "X", "name": "y"}], "finalizers": ["example.com/f"]
        """;

    [Fact]
    public void Server_set_metadata_status_and_the_last_applied_annotation_are_removed_and_the_parent_label_added()
    {
        var hub = Hub("v1", "ConfigMap", "kuard-demo", $$$"""
            {"apiVersion": "v1", "kind": "ConfigMap",
             "metadata": {"name": "kuard", "namespace": "kuard-demo", {{{ServerSet}}},
                          "labels": {"app": "kuard"},
                          "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}", "team": "a"}},
             "data": {"k": "v"}, "status": {"x": 1}}
            """);
        var placed = PlacedObject.ForMember(hub, "kuard-demo");
        Assert.Equal(hub with { Json = placed.Json }, placed); // apiVersion, kind, namespace, name and document kept
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"apiVersion": "v1", "kind": "ConfigMap",
             "metadata": {"name": "kuard", "namespace": "kuard-demo",
                          "labels": {"app": "kuard", "kubernetes-fleet.io/parent-CRP": "kuard-demo"},
                          "annotations": {"team": "a"}},
             "data": {"k": "v"}}
            """), JsonNode.Parse(placed.Json)), placed.Json);
    }

    /// <summary>(hub object, the object placed).</summary>
    public static TheoryData<string, string, string> Cases() => new()
    {
        // No labels: the map is made; the last-applied annotation alone: the map goes.
        { "Namespace", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"kuard","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"}},"status":{"phase":"Active"}}""",
          """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"kuard","labels":{"kubernetes-fleet.io/parent-CRP":"kuard-demo"}}}""" },
        // A parent label already there (placed by another placement, or typed by hand) is this placement's now.
        { "Namespace", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"kuard","labels":{"kubernetes-fleet.io/parent-CRP":"other"}}}""",
          """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"kuard","labels":{"kubernetes-fleet.io/parent-CRP":"kuard-demo"}}}""" },
        // A Service loses what the hub allocated: cluster IPs, node ports, the health check node port.
        { "Service", """{"apiVersion":"v1","kind":"Service","metadata":{"name":"kuard","namespace":"kuard-demo"},"spec":{"type":"LoadBalancer","clusterIP":"10.0.0.10","clusterIPs":["10.0.0.10","fd00::10"],"healthCheckNodePort":31000,"ports":[{"port":80,"targetPort":8080,"nodePort":30080},{"port":443}]},"status":{"loadBalancer":{}}}""",
          """{"apiVersion":"v1","kind":"Service","metadata":{"name":"kuard","namespace":"kuard-demo","labels":{"kubernetes-fleet.io/parent-CRP":"kuard-demo"}},"spec":{"type":"LoadBalancer","ports":[{"port":80,"targetPort":8080},{"port":443}]}}""" },
        // ... but a headless one stays headless.
        { "Service", """{"apiVersion":"v1","kind":"Service","metadata":{"name":"kuard","namespace":"kuard-demo"},"spec":{"clusterIP":"None","clusterIPs":["None"],"ports":[{"port":80}]}}""",
          """{"apiVersion":"v1","kind":"Service","metadata":{"name":"kuard","namespace":"kuard-demo","labels":{"kubernetes-fleet.io/parent-CRP":"kuard-demo"}},"spec":{"clusterIP":"None","clusterIPs":["None"],"ports":[{"port":80}]}}""" },
        // Another group's Service is not a v1 Service: its spec is its own.
        { "Service", """{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"kuard","namespace":"kuard-demo"},"spec":{"clusterIP":"x"}}""",
          """{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"kuard","namespace":"kuard-demo","labels":{"kubernetes-fleet.io/parent-CRP":"kuard-demo"}},"spec":{"clusterIP":"x"}}""" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Placed_as_a_member_gets_it(string kind, string hub, string expected)
    {
        var root = JsonNode.Parse(hub)!;
        var o = Hub(root["apiVersion"]!.GetValue<string>(), kind, root["metadata"]!["namespace"]?.GetValue<string>(), hub);
        var placed = Placed(o);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), placed), placed.ToJsonString());
    }

    [Fact]
    public void The_hub_object_is_not_changed()
    {
        const string json = """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"kuard","uid":"1"}}""";
        var hub = Hub("v1", "Namespace", null, json);
        PlacedObject.ForMember(hub, "kuard-demo");
        Assert.Equal(json, hub.Json);
    }
}
