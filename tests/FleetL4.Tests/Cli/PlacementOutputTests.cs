using System.Text.Json.Nodes;
using FleetL4.Client.Output;
using FleetL4.Members;
using FleetL4.Models;

namespace FleetL4.Tests.Cli;

/// <summary>How the CLI prints ClusterResourcePlacements and stored objects, on views built by hand (no hub).</summary>
public sealed class PlacementOutputTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Created = new(2026, 11, 29, 11, 15, 0, TimeSpan.Zero);

    private const string Applied = """
        {"apiVersion":"placement.kubernetes-fleet.io/v1","kind":"ClusterResourcePlacement",
         "metadata":{"name":"kuard-demo","creationTimestamp":"2026-11-29T11:15:00Z","uid":"u-1","generation":2},
         "spec":{"resourceSelectors":[{"group":"","version":"v1","kind":"Namespace","name":"kuard-demo"}]}}
        """;

    private static readonly ResourceId Namespace = new("", "v1", "Namespace", null, "kuard-demo");
    private static readonly ResourceId Service = new("", "v1", "Service", "kuard-demo", "kuard");

    private static Condition Cond(string type, string status, string reason, long generation) => new(type, status, reason, $"{reason} message", generation, Created);

    private static PlacementView View(string name, long generation, params Condition[] conditions) => new(
        name, true, Applied.Replace("kuard-demo\",\"creationTimestamp", $"{name}\",\"creationTimestamp"), generation, Created, conditions,
        [Namespace, Service],
        [
            new ClusterPlacementStatus("aks-member-1", "True", PlacementApi.ApplySucceeded, "applied 2 resources of revision 3", 3, []),
            new ClusterPlacementStatus("aks-member-2", "False", PlacementApi.ApplyFailed, "failed to apply 1 of 2 resources", 3,
                [new ResourceApplyResult(Service, false, "port 8080 is taken")]),
        ],
        Revision: 3);

    private static readonly PlacementView Placed = View("kuard-demo", 2,
        Cond(PlacementApi.Scheduled, "True", PlacementApi.SchedulingPolicyFulfilled, 2), Cond(PlacementApi.Applied, "False", PlacementApi.ApplyFailed, 1));

    [Fact]
    public void The_table_has_Fleet_s_printer_columns_and_blank_cells_for_absent_conditions()
    {
        var fresh = View("fresh", 1) with { Clusters = [], SelectedResources = [] };
        Assert.Equal("""
            NAME         GEN   SCHEDULED   SCHEDULEDGEN   APPLIED   APPLIEDGEN   AGE
            kuard-demo   2     True        2              False     1            45m
            fresh        1                                                       45m

            """, PlacementTable.Of([Placed, fresh], wide: false, Now).ToString().Replace("\r", ""));
        var wide = TableText.Parse(PlacementTable.Of([Placed, fresh], wide: true, Now).ToString());
        Assert.Equal(["NAME", "GEN", "SCHEDULED", "SCHEDULEDGEN", "APPLIED", "APPLIEDGEN", "CLUSTERS", "AGE"], wide.Headers);
        Assert.Equal(["aks-member-1,aks-member-2", "<none>"], wide.Rows.Select(r => r["CLUSTERS"]));
        var row = wide.Rows[1];
        Assert.Equal(("", "", "", ""), (row["SCHEDULED"], row["SCHEDULEDGEN"], row["APPLIED"], row["APPLIEDGEN"]));
    }

    private const string Json = """
        {
          "apiVersion": "placement.kubernetes-fleet.io/v1", "kind": "ClusterResourcePlacement",
          "metadata": { "name": "kuard-demo", "creationTimestamp": "2026-11-29T11:15:00Z", "uid": "u-1", "generation": 2 },
          "spec": { "resourceSelectors": [ { "group": "", "version": "v1", "kind": "Namespace", "name": "kuard-demo" } ] },
          "status": {
            "selectedResources": [
              { "version": "v1", "kind": "Namespace", "name": "kuard-demo" },
              { "version": "v1", "kind": "Service", "name": "kuard", "namespace": "kuard-demo" }
            ],
            "placementStatuses": [
              { "clusterName": "aks-member-1",
                "conditions": [
                  { "type": "Scheduled", "status": "True", "reason": "ScheduleSucceeded", "message": "picked by the placement's scheduling policy", "observedGeneration": 2, "lastTransitionTime": "2026-11-29T11:15:00Z" },
                  { "type": "Applied", "status": "True", "reason": "ApplySucceeded", "message": "applied 2 resources of revision 3", "observedGeneration": 2, "lastTransitionTime": "2026-11-29T11:15:00Z" } ] },
              { "clusterName": "aks-member-2",
                "failedPlacements": [ { "version": "v1", "kind": "Service", "name": "kuard", "namespace": "kuard-demo",
                                        "condition": { "type": "Applied", "status": "False", "reason": "ApplyFailed", "message": "port 8080 is taken", "observedGeneration": 2, "lastTransitionTime": "2026-11-29T11:15:00Z" } } ],
                "conditions": [
                  { "type": "Scheduled", "status": "True", "reason": "ScheduleSucceeded", "message": "picked by the placement's scheduling policy", "observedGeneration": 2, "lastTransitionTime": "2026-11-29T11:15:00Z" },
                  { "type": "Applied", "status": "False", "reason": "ApplyFailed", "message": "failed to apply 1 of 2 resources", "observedGeneration": 2, "lastTransitionTime": "2026-11-29T11:15:00Z" } ] }
            ],
            "observedResourceIndex": "<any>",
            "conditions": [
              { "type": "ClusterResourcePlacementScheduled", "status": "True", "reason": "SchedulingPolicyFulfilled", "message": "SchedulingPolicyFulfilled message",
                "observedGeneration": 2, "lastTransitionTime": "2026-11-29T11:15:00Z" },
              { "type": "ClusterResourcePlacementApplied", "status": "False", "reason": "ApplyFailed", "message": "ApplyFailed message",
                "observedGeneration": 1, "lastTransitionTime": "2026-11-29T11:15:00Z" }
            ]
          }
        }
        """;

    [Fact]
    public void Json_is_the_object_as_applied_with_a_status_in_Fleet_s_shape_and_yaml_reads_back_the_same()
    {
        JsonAssert.Same(Json, PlacementJson.Placement(Placed));
        var yaml = ManifestReader.Read(YamlOutput.Write(PlacementJson.Placement(Placed)), "yaml").Single();
        JsonAssert.Same(Json, JsonNode.Parse(yaml.Json));
        // Fleet's status lists are omitempty: a placement that has decided nothing yet has an empty status.
        JsonAssert.Same("""{ "conditions": [], "placementStatuses": [], "selectedResources": [], "observedResourceIndex": "<any>" }""",
            PlacementJson.Status(View("fresh", 1) with { Clusters = [], SelectedResources = [], Conditions = [] }));
    }

    [Fact]
    public async Task Describe_shows_policy_conditions_resources_and_each_cluster_with_its_failures()
    {
        var policy = new PlacementPolicy(PlacementApi.PickN, [], 2,
        [
            new LabelSelector(new Dictionary<string, string> { ["fleet.azure.com/location"] = "eastus" }, [new LabelRequirement("env", "In", ["prod", "staging"])]),
            new LabelSelector(new Dictionary<string, string>(), [new LabelRequirement("canary", "Exists", []), new LabelRequirement("legacy", "DoesNotExist", [])]),
        ]);
        var text = new StringWriter();
        await PlacementDescription.Write(text, Placed, policy);
        Assert.Equal("""
            Name:               kuard-demo
            Generation:         2
            Created:            2026-11-29 11:15:00Z
            Resource revision:  3
            Placement type:     PickN
            Number of clusters: 2
            Cluster affinity:   fleet.azure.com/location=eastus,env in (prod,staging) OR canary,!legacy
            Conditions:
              TYPE                                STATUS   REASON                      MESSAGE
              ClusterResourcePlacementScheduled   True     SchedulingPolicyFulfilled   SchedulingPolicyFulfilled message
              ClusterResourcePlacementApplied     False    ApplyFailed                 ApplyFailed message
            Selected resources:
              GROUP   VERSION   KIND        NAMESPACE    NAME
                      v1        Namespace                kuard-demo
                      v1        Service     kuard-demo   kuard
            Clusters:
              CLUSTER        APPLIED   REASON           REVISION   MESSAGE
              aks-member-1   True      ApplySucceeded   3          applied 2 resources of revision 3
              aks-member-2   False     ApplyFailed      3          failed to apply 1 of 2 resources
            Failed resources:
              aks-member-2: Service kuard-demo/kuard: port 8080 is taken

            """, text.ToString().Replace("\r", ""));

        var fixedText = new StringWriter();
        await PlacementDescription.Write(fixedText, Placed with { Clusters = [] }, new PlacementPolicy(PlacementApi.PickFixed, ["aks-member-1", "aks-member-2"], null, []));
        Assert.Contains("Placement type:    PickFixed\nCluster names:     aks-member-1, aks-member-2\nCluster affinity:  <none>\n", fixedText.ToString().Replace("\r", ""));
        Assert.DoesNotContain("Failed resources:", fixedText.ToString());
        Assert.Equal("<every cluster>", PlacementDescription.Term(LabelSelector.Everything));
    }

    private static ManifestObject Stored(string apiVersion, string kind, string? ns = null) => new(apiVersion, kind, ns, "x", "{}");

    [Theory]
    [InlineData("ns", "v1", "Namespace", true)]
    [InlineData("namespaces", "v1", "Namespace", true)]
    [InlineData("NS", "v1", "Namespace", true)]
    [InlineData("deploy", "apps/v1", "Deployment", true)]
    [InlineData("deployments.apps", "apps/v1", "Deployment", true)]
    [InlineData("deployment.apps", "apps/v1", "Deployment", true)]
    [InlineData("deployments.extensions", "apps/v1", "Deployment", false)]
    [InlineData("svc", "v1", "Service", true)]
    [InlineData("svc", "networking.fleet.azure.com/v1alpha1", "ServiceExport", false)]
    [InlineData("cm", "v1", "ConfigMap", true)]
    [InlineData("configmaps", "v1", "ConfigMap", true)]
    [InlineData("clusterroles", "rbac.authorization.k8s.io/v1", "ClusterRole", true)]
    [InlineData("roles", "rbac.authorization.k8s.io/v1", "Role", true)]
    [InlineData("role", "rbac.authorization.k8s.io/v1", "Role", true)]
    [InlineData("roles", "rbac.authorization.k8s.io/v1", "RoleBinding", false)]
    [InlineData("networkpolicies", "networking.k8s.io/v1", "NetworkPolicy", true)]
    [InlineData("ingresses", "networking.k8s.io/v1", "Ingress", true)]
    [InlineData("widgets.example.com", "example.com/v1", "Widget", true)]
    [InlineData("widgets.example.org", "example.com/v1", "Widget", false)]
    public void A_kind_word_matches_stored_objects_by_kubectl_s_names(string word, string apiVersion, string kind, bool matches) =>
        Assert.Equal(matches, StoredKind.Parse(word).Matches(Stored(apiVersion, kind)));

    [Fact]
    public void Known_kinds_list_empty_other_words_need_a_stored_object_and_errors_name_the_resource_as_kubectl_does()
    {
        Assert.True(StoredKind.Parse("deploy").IsKnown);
        Assert.False(StoredKind.Parse("pods").IsKnown);
        Assert.Equal("deployments.apps", StoredKind.Parse("deploy").Resource([]));
        Assert.Equal("namespaces", StoredKind.Parse("ns").Resource([]));
        Assert.Equal("widgets.example.com", StoredKind.Parse("widget").Resource([Stored("example.com/v1", "Widget", "default")]));
        Assert.True(StoredKind.Parse("ns").ClusterScoped([]));
        Assert.False(StoredKind.Parse("widgets").ClusterScoped([Stored("example.com/v1", "Widget", "default")]));
        Assert.True(StoredKind.Parse("gadgets").ClusterScoped([Stored("example.com/v1", "Gadget")]));
    }
}
