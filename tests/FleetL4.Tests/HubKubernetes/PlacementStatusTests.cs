using System.Text.Json.Nodes;
using FleetL4.HubKubernetes;
using FleetL4.Models;
using FleetL4.Tests.Kubernetes;
using k8s;

namespace FleetL4.Tests.HubKubernetes;

/// <summary>The status the hub writes into a ClusterResourcePlacement on its API server, from what the hub holds.</summary>
public sealed class PlacementStatusTests
{
    private const string Spec = """{"resourceSelectors":[{"group":"","version":"v1","kind":"Namespace","name":"kuard-demo"}]}""";
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = T0.AddMinutes(5);

    private static UnstructuredObject Crp(long generation, string spec = Spec, JsonObject? status = null) =>
        KubernetesJson.Deserialize<UnstructuredObject>(new JsonObject
        {
            ["apiVersion"] = PlacementApi.ApiVersion,
            ["kind"] = PlacementApi.Kind,
            ["metadata"] = new JsonObject { ["name"] = "kuard-demo", ["uid"] = "u1", ["generation"] = generation, ["resourceVersion"] = "7" },
            ["spec"] = JsonNode.Parse(spec),
            ["status"] = status?.DeepClone(),
        }.ToJsonString());

    private static PlacementView Held(long generation, string spec = Spec, params ClusterPlacementStatus[] clusters) => new(
        "kuard-demo", true, $$"""{"apiVersion":"{{PlacementApi.ApiVersion}}","kind":"{{PlacementApi.Kind}}","metadata":{"name":"kuard-demo"},"spec":{{spec}}}""",
        generation, T0,
        [
            new Condition(PlacementApi.Scheduled, ConditionStatuses.True, PlacementApi.SchedulingPolicyFulfilled, "found 2 clusters", generation, T0),
            new Condition(PlacementApi.Applied, ConditionStatuses.True, PlacementApi.ApplySucceeded, "applied to all 2 selected clusters", generation, T0),
        ],
        [new ResourceId("", "v1", "Namespace", null, "kuard-demo"), new ResourceId("", "v1", "Service", "kuard-demo", "kuard")],
        clusters, 3);

    private static ClusterPlacementStatus Cluster(string name, string status = ConditionStatuses.True, params ResourceApplyResult[] failed) =>
        new(name, status, status == ConditionStatuses.True ? PlacementApi.ApplySucceeded : PlacementApi.ApplyFailed, "m", 3, failed);

    private static (string Status, long Generation) Column(JsonObject status, string type) =>
        status["conditions"]!.AsArray().Where(c => c!["type"]!.GetValue<string>() == type)
            .Select(c => (c!["status"]!.GetValue<string>(), c["observedGeneration"]!.GetValue<long>())).Single();

    [Fact]
    public void The_conditions_observe_the_API_server_s_generation_while_the_hub_holds_the_same_spec()
    {
        // The hub counts its own generations (here 1 after a restart on fresh storage); kubectl's GEN is the API server's.
        var status = PlacementStatus.Of(Crp(4), Held(1), refusal: null, Now)!;
        Assert.Equal((ConditionStatuses.True, 4L), Column(status, PlacementApi.Scheduled));
        Assert.Equal((ConditionStatuses.True, 4L), Column(status, PlacementApi.Applied));
        Assert.Equal("3", status["observedResourceIndex"]!.GetValue<string>());
        Assert.Equal(["Namespace kuard-demo", "Service kuard-demo/kuard"],
            status["selectedResources"]!.AsArray().Select(r => $"{r!["kind"]} {(r["namespace"] is { } ns ? ns + "/" : "")}{r["name"]}"));
        Assert.Equal(T0, DateTimeOffset.Parse(status["conditions"]![0]!["lastTransitionTime"]!.GetValue<string>()));
    }

    [Fact]
    public void Nothing_is_written_while_the_hub_has_not_taken_the_new_spec_or_holds_no_placement()
    {
        Assert.Null(PlacementStatus.Of(Crp(2, """{"resourceSelectors":[]}"""), Held(1), null, Now));
        Assert.Null(PlacementStatus.Of(Crp(1), null, null, Now));
        Assert.Null(PlacementStatus.Of(Crp(1), Held(1) with { Exists = false }, null, Now));
    }

    [Fact]
    public void A_refused_spec_shows_Scheduled_False_InvalidSpec_for_its_generation()
    {
        var status = PlacementStatus.Of(Crp(2, """{"resourceSelectors":[]}"""), Held(1), "spec.resourceSelectors: must select at least one resource", Now)!;
        var condition = status["conditions"]!.AsArray().Single()!;
        Assert.Equal((PlacementApi.Scheduled, ConditionStatuses.False, ConditionReasons.InvalidSpec, 2L),
            (condition["type"]!.GetValue<string>(), condition["status"]!.GetValue<string>(), condition["reason"]!.GetValue<string>(), condition["observedGeneration"]!.GetValue<long>()));
        Assert.Contains("spec.resourceSelectors", condition["message"]!.GetValue<string>());
    }

    [Fact]
    public void Each_cluster_s_conditions_keep_their_transition_time_until_their_status_changes()
    {
        var first = PlacementStatus.Of(Crp(1), Held(1, Spec, Cluster("aks-member-1"), Cluster("aks-member-2")), null, Now)!;
        Assert.Equal(["aks-member-1", "aks-member-2"], first["placementStatuses"]!.AsArray().Select(c => c!["clusterName"]!.GetValue<string>()));
        // Written at Now; looked at again later with the same statuses: the same status (nothing to write).
        var again = PlacementStatus.Of(Crp(1, Spec, first), Held(1, Spec, Cluster("aks-member-1"), Cluster("aks-member-2")), null, Now.AddMinutes(1))!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(first.ToJsonString()), JsonNode.Parse(again.ToJsonString())));
        // aks-member-2 fails now: its Applied condition moves, aks-member-1's stays.
        var failed = new ResourceApplyResult(new ResourceId("apps", "v1", "Deployment", "kuard-demo", "kuard"), false, "quota exceeded");
        var later = PlacementStatus.Of(Crp(1, Spec, first), Held(1, Spec, Cluster("aks-member-1"), Cluster("aks-member-2", ConditionStatuses.False, failed)), null, Now.AddMinutes(2))!;
        string Since(int cluster, string type) => later["placementStatuses"]![cluster]!["conditions"]!.AsArray()
            .Single(c => c!["type"]!.GetValue<string>() == type)!["lastTransitionTime"]!.GetValue<string>();
        Assert.Equal(FleetL4.Members.ResourceJson.Time(Now), Since(0, PlacementApi.ClusterApplied));
        Assert.Equal(FleetL4.Members.ResourceJson.Time(Now.AddMinutes(2)), Since(1, PlacementApi.ClusterApplied));
        Assert.Equal(FleetL4.Members.ResourceJson.Time(Now), Since(1, PlacementApi.ClusterScheduled));
        var failure = later["placementStatuses"]![1]!["failedPlacements"]!.AsArray().Single()!;
        Assert.Equal(("Deployment", "kuard", "quota exceeded"), (failure["kind"]!.GetValue<string>(), failure["name"]!.GetValue<string>(), failure["condition"]!["message"]!.GetValue<string>()));
    }

    [Fact]
    public void The_status_fits_the_CRD_schema()
    {
        var failed = new ResourceApplyResult(new ResourceId("", "v1", "ConfigMap", "kuard-demo", "settings"), false, "too large");
        foreach (var status in new[]
        {
            PlacementStatus.Of(Crp(1), Held(1, Spec, Cluster("aks-member-1"), Cluster("aks-member-2", ConditionStatuses.False, failed)), null, Now)!,
            PlacementStatus.Of(Crp(1), null, "spec: invalid", Now)!,
        })
        {
            var crp = JsonNode.Parse(KubernetesJson.Serialize(Crp(1)))!.AsObject();
            crp["status"] = status;
            Assert.Equal([], CrdSchema.Check(crp));
        }
    }
}
