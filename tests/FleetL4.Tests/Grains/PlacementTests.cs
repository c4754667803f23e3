using System.Text.Json.Nodes;
using FleetL4.Domain;
using FleetL4.Members;
using FleetL4.Models;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Grains;

/// <summary>A hub of its own: the seed's placement selects every eastus cluster of the hub it runs in.</summary>
public sealed class PlacementHubFixture : IAsyncLifetime
{
    public FleetTestCluster Hub { get; private set; } = null!;

    public async Task InitializeAsync() => Hub = await FleetTestCluster.StartAsync();

    public async Task DisposeAsync() => await Hub.DisposeAsync();
}

/// <summary>ClusterResourcePlacements on virtual members: the seed's, re-scheduling on labels, PickN, PickFixed, refusals.</summary>
public sealed class PlacementTests(PlacementHubFixture fixture) : IClassFixture<PlacementHubFixture>
{
    private readonly FleetTestCluster _hub = fixture.Hub;
    private FleetL4.HubApi.FleetGrains Fleet => _hub.Fleet;

    private static string Workload(string ns, int port = 8080) => SeedManifests.Workload(ns, port);

    private static string Slice(string ns, params string[] addresses) => SeedManifests.Slice(ns, "kuard-pods", addresses);

    private static string Placement(string name, string ns, string policy) => SeedManifests.Placement(name, ns, policy);

    /// <summary>PickN of the clusters labelled test.fleetl4.io/suite=pickn.</summary>
    private static string PickN(int clusters) => $$"""
          policy:
            placementType: PickN
            numberOfClusters: {{clusters}}
            affinity:
              clusterAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  clusterSelectorTerms:
                    - labelSelector:
                        matchLabels: { test.fleetl4.io/suite: pickn }
        """;

    private Task<IReadOnlyList<ManifestResult>> ApplyToHub(string yaml) => Fleet.ApplyManifestsAsync(null, ManifestReader.Read(yaml, "test.yaml"));

    private static (string Status, string Reason, long Generation) Condition(PlacementView view, string type) =>
        ConditionSet.Find(view.Conditions, type) is { } c ? (c.Status, c.Reason, c.ObservedGeneration) : ("", "", 0);

    private Task<PlacementView> WaitForApplied(string name, params string[] clusters) =>
        Eventually.Get(() => Fleet.GetPlacementAsync(name), p =>
            Condition(p, PlacementApi.Applied).Status == "True" && p.Clusters.Select(c => c.Cluster).SequenceEqual(clusters),
            $"placement {name} applied to {string.Join(", ", clusters)}");

    /// <summary>The placed objects a virtual member holds ("Kind namespace/name").</summary>
    private async Task<IReadOnlyList<string>> Placed(string cluster) =>
        [.. (await Fleet.ListManifestsAsync(cluster))
            .Where(o => JsonNode.Parse(o.Json)!["metadata"]?["labels"]?[PlacementApi.ParentLabel] is not null)
            .Select(o => $"{o.Kind} {(o.Namespace is null ? "" : o.Namespace + "/")}{o.Name}").Order(StringComparer.Ordinal)];

    [Fact]
    public async Task The_seed_placement_puts_kuard_on_the_eastus_members_only_and_follows_relabelling()
    {
        const string ns = "kuard-demo";
        await Fleet.JoinClusterAsync("aks-member-1", Seed.EastUs, isVirtual: true);
        await Fleet.JoinClusterAsync("aks-member-2", Seed.EastUs, isVirtual: true);
        await Fleet.JoinClusterAsync("aks-member-3", Seed.WestUs, isVirtual: true);

        var applied = await ApplyToHub(Workload(ns));
        Assert.Equal(["created", "created", "created", "created"], applied.Select(r => r.Action));
        var crp = Assert.Single(await ApplyToHub(SeedManifests.SeedPlacement));
        Assert.Equal(("ClusterResourcePlacement", "kuard-demo", "created"), (crp.Kind, crp.Name, crp.Action));

        var view = await WaitForApplied("kuard-demo", "aks-member-1", "aks-member-2");
        Assert.Equal(1, view.Generation);
        Assert.Equal(("True", PlacementApi.SchedulingPolicyFulfilled, 1L), Condition(view, PlacementApi.Scheduled));
        Assert.Equal(("True", PlacementApi.ApplySucceeded, 1L), Condition(view, PlacementApi.Applied));
        Assert.All(view.Clusters, c => Assert.Equal(("True", PlacementApi.ApplySucceeded), (c.AppliedStatus, c.Reason)));
        string[] kuard = ["Deployment kuard-demo/kuard", "Namespace kuard-demo", "Service kuard-demo/kuard", "ServiceExport kuard-demo/kuard"];
        Assert.Equal(kuard, await Placed("aks-member-1"));
        Assert.Equal(kuard, await Placed("aks-member-2"));
        Assert.Empty(await Placed("aks-member-3"));
        // The hub's clusterIP is its own cluster's: members allocate theirs.
        var service = (await Fleet.ListManifestsAsync("aks-member-1")).Single(o => o.Kind == "Service" && o.Namespace == ns);
        Assert.Null(JsonNode.Parse(service.Json)!["spec"]!["clusterIP"]);

        // The pods' endpoints come from each member (its Deployment's pods); the exports turn valid, then the MCS.
        await Fleet.ApplyManifestsAsync("aks-member-1", ManifestReader.Read(Slice(ns, "10.61.1.1", "10.61.1.2"), "slice"));
        await Fleet.ApplyManifestsAsync("aks-member-2", ManifestReader.Read(Slice(ns, "10.61.2.1", "10.61.2.2"), "slice"));
        foreach (var member in new[] { "aks-member-1", "aks-member-2" })
            await Eventually.Get(() => Fleet.GetServiceExportAsync(member, ns, "kuard"),
                e => ConditionSet.Find(e.Conditions, ConditionTypes.Valid)?.Status == "True", $"export of {member} valid");
        await Fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
        var id = GrainKeys.MultiClusterService("aks-member-1", ns, "kuard");
        await _hub.WaitForBackendsAsync(id, "10.61.1.1", "10.61.1.2", "10.61.2.1", "10.61.2.2");

        // aks-member-3 moves to eastus: it gets kuard, and its pods join the backends.
        await Fleet.LabelClusterAsync("aks-member-3", Seed.EastUs, []);
        await WaitForApplied("kuard-demo", "aks-member-1", "aks-member-2", "aks-member-3");
        Assert.Equal(kuard, await Placed("aks-member-3"));
        await Fleet.ApplyManifestsAsync("aks-member-3", ManifestReader.Read(Slice(ns, "10.61.3.1"), "slice"));
        await _hub.WaitForBackendsAsync(id, "10.61.1.1", "10.61.1.2", "10.61.2.1", "10.61.2.2", "10.61.3.1");

        // ... and back to westus: kuard is removed from it and its endpoints leave.
        await Fleet.LabelClusterAsync("aks-member-3", Seed.WestUs, []);
        await WaitForApplied("kuard-demo", "aks-member-1", "aks-member-2");
        await Eventually.Get(() => Placed("aks-member-3"), p => p.Count == 0, "kuard removed from aks-member-3");
        await _hub.WaitForBackendsAsync(id, "10.61.1.1", "10.61.1.2", "10.61.2.1", "10.61.2.2");
        // A label removed (kubectl's "key-") unschedules too.
        await Fleet.LabelClusterAsync("aks-member-2", new Dictionary<string, string>(), ["fleet.azure.com/location"]);
        await WaitForApplied("kuard-demo", "aks-member-1");
        await _hub.WaitForBackendsAsync(id, "10.61.1.1", "10.61.1.2");
        await Fleet.LabelClusterAsync("aks-member-2", Seed.EastUs, []);
        await WaitForApplied("kuard-demo", "aks-member-1", "aks-member-2");
    }

    [Fact]
    public async Task PickN_chooses_a_stable_set_and_moves_as_little_as_possible()
    {
        var suite = new Dictionary<string, string> { ["test.fleetl4.io/suite"] = "pickn" };
        foreach (var c in new[] { "pickn-b", "pickn-c", "pickn-d" }) await Fleet.JoinClusterAsync(c, suite, isVirtual: true);
        await ApplyToHub(Workload("pickn-app"));
        await ApplyToHub(Placement("pickn", "pickn-app", PickN(2)));
        await WaitForApplied("pickn", "pickn-b", "pickn-c");

        // A new cluster that sorts first changes nothing: the chosen ones stay.
        await Fleet.JoinClusterAsync("pickn-a", suite, isVirtual: true);
        await Fleet.ApplyManifestsAsync(null, ManifestReader.Read(Workload("pickn-app", port: 8081), "test.yaml")); // a change to reconcile on
        var view = await Eventually.Get(() => Fleet.GetPlacementAsync("pickn"), p => p.Revision >= 2 && Condition(p, PlacementApi.Applied).Status == "True", "revision 2 applied");
        Assert.Equal(["pickn-b", "pickn-c"], view.Clusters.Select(c => c.Cluster));
        Assert.Empty(await Placed("pickn-a"));

        // One chosen cluster leaves: one other replaces it, the remaining one stays.
        await Fleet.LeaveClusterAsync("pickn-b");
        view = await Eventually.Get(() => Fleet.GetPlacementAsync("pickn"),
            p => p.Clusters.Count == 2 && !p.Clusters.Any(c => c.Cluster == "pickn-b") && Condition(p, PlacementApi.Applied).Status == "True", "pickn-b replaced");
        Assert.Contains(view.Clusters, c => c.Cluster == "pickn-c");

        // More than there are: scheduled False, with what there is placed.
        await ApplyToHub(Placement("pickn", "pickn-app", PickN(5)));
        view = await WaitForApplied("pickn", "pickn-a", "pickn-c", "pickn-d");
        Assert.Equal(2, view.Generation);
        Assert.Equal(("False", PlacementApi.SchedulingPolicyUnfulfilled, 2L), Condition(view, PlacementApi.Scheduled));
        Assert.Equal(2, Condition(view, PlacementApi.Applied).Generation);
    }

    [Fact]
    public async Task PickFixed_places_on_the_named_clusters_and_names_the_ones_missing()
    {
        await Fleet.JoinClusterAsync("fixed-1", new Dictionary<string, string>(), isVirtual: true);
        await Fleet.JoinClusterAsync("fixed-2", new Dictionary<string, string>(), isVirtual: true);
        await ApplyToHub(Workload("fixed-app"));
        await ApplyToHub(Placement("fixed", "fixed-app", """
              policy:
                placementType: PickFixed
                clusterNames: [fixed-1, fixed-9]
            """));
        var view = await WaitForApplied("fixed", "fixed-1");
        var scheduled = ConditionSet.Find(view.Conditions, PlacementApi.Scheduled)!;
        Assert.Equal(("False", PlacementApi.SchedulingPolicyUnfulfilled), (scheduled.Status, scheduled.Reason));
        Assert.Contains("fixed-9", scheduled.Message);
        Assert.Equal(["Deployment fixed-app/kuard", "Namespace fixed-app", "Service fixed-app/kuard", "ServiceExport fixed-app/kuard"], await Placed("fixed-1"));
        Assert.Empty(await Placed("fixed-2"));

        // The missing cluster joins: it is placed on, and the policy is fulfilled.
        await Fleet.JoinClusterAsync("fixed-9", new Dictionary<string, string>(), isVirtual: true);
        view = await WaitForApplied("fixed", "fixed-1", "fixed-9");
        Assert.Equal("True", Condition(view, PlacementApi.Scheduled).Status);

        // Deleting the placement removes what it placed, and only that.
        await Fleet.ApplyManifestsAsync("fixed-1", ManifestReader.Read(Slice("fixed-app", "10.62.0.1"), "slice"));
        var deleted = await Fleet.DeleteManifestsAsync(null, ManifestReader.Read(Placement("fixed", "fixed-app", ""), "crp.yaml"));
        Assert.Equal("deleted", Assert.Single(deleted).Action);
        await Eventually.Get(() => Placed("fixed-1"), p => p.Count == 0, "placed objects removed from fixed-1");
        await Eventually.Get(() => Placed("fixed-9"), p => p.Count == 0, "placed objects removed from fixed-9");
        Assert.Contains(await Fleet.ListManifestsAsync("fixed-1"), o => o.Kind == "EndpointSlice"); // the member's own stays
        Assert.False((await Fleet.GetPlacementAsync("fixed")).Exists);
        Assert.DoesNotContain(await Fleet.ListPlacementsAsync(), p => p.Name == "fixed");
    }

    [Fact]
    public async Task A_change_to_a_selected_hub_object_reaches_every_member_as_a_new_revision()
    {
        var suite = new Dictionary<string, string> { ["test.fleetl4.io/suite"] = "revision" };
        await Fleet.JoinClusterAsync("revision-1", suite, isVirtual: true);
        await ApplyToHub(Workload("revision-app"));
        await ApplyToHub(Placement("revision", "revision-app", """
              policy:
                affinity:
                  clusterAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      clusterSelectorTerms:
                        - labelSelector:
                            matchExpressions:
                              - { key: test.fleetl4.io/suite, operator: In, values: [revision] }
            """));
        var first = await WaitForApplied("revision", "revision-1");

        await ApplyToHub(Workload("revision-app", port: 9090));
        var second = await Eventually.Get(() => Fleet.GetPlacementAsync("revision"),
            p => p.Revision > first.Revision && Condition(p, PlacementApi.Applied).Status == "True", "new revision applied");
        Assert.Equal(1, second.Generation); // the placement itself did not change
        var service = (await Fleet.ListManifestsAsync("revision-1")).Single(o => o.Kind == "Service" && o.Namespace == "revision-app");
        Assert.Equal(9090, JsonNode.Parse(service.Json)!["spec"]!["ports"]![0]!["port"]!.GetValue<int>());

        // An object added to the namespace is placed too; one deleted on the hub is removed from the member.
        await ApplyToHub("""
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: settings, namespace: revision-app }
            data: { color: blue }
            """);
        await Eventually.Get(() => Placed("revision-1"), p => p.Contains("ConfigMap revision-app/settings"), "ConfigMap placed");
        await Fleet.DeleteManifestsAsync(null, ManifestReader.Read("""
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: settings, namespace: revision-app }
            """, "cm.yaml"));
        await Eventually.Get(() => Placed("revision-1"), p => !p.Contains("ConfigMap revision-app/settings"), "ConfigMap removed");
    }

    [Theory]
    [InlineData("kube-system", "spec.resourceSelectors[0].name")]
    [InlineData("default", "spec.resourceSelectors[0].name")]
    [InlineData("fleet-system", "spec.resourceSelectors[0].name")]
    public async Task A_reserved_namespace_is_refused_naming_the_field_and_nothing_is_stored(string ns, string field)
    {
        var name = $"reserved-{ns}";
        var ex = await Assert.ThrowsAsync<FleetValidationException>(() => ApplyToHub(Placement(name, ns, "")));
        Assert.Equal(field, ex.Field);
        Assert.Contains(ns, ex.Detail);
        Assert.False((await Fleet.GetPlacementAsync(name)).Exists);
    }

    [Theory]
    [InlineData("""
          policy:
            placementType: PickSome
        """, "spec.policy.placementType")]
    [InlineData("""
          policy:
            placementType: PickN
        """, "spec.policy.numberOfClusters")]
    [InlineData("""
          policy:
            affinity:
              clusterAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  clusterSelectorTerms:
                    - labelSelector:
                        matchExpressions:
                          - { key: fleet.azure.com/location, operator: Near, values: [eastus] }
        """, "spec.policy.affinity.clusterAffinity.requiredDuringSchedulingIgnoredDuringExecution.clusterSelectorTerms[0].labelSelector.matchExpressions[0].operator")]
    public async Task An_invalid_policy_is_refused_naming_the_field_and_a_file_with_it_changes_nothing(string policy, string field)
    {
        var yaml = Workload("invalid-app") + "\n---\n" + Placement("invalid", "invalid-app", policy);
        var ex = await Assert.ThrowsAsync<FleetValidationException>(() => ApplyToHub(yaml));
        Assert.Equal(field, ex.Field);
        Assert.False((await Fleet.GetPlacementAsync("invalid")).Exists);
        Assert.DoesNotContain(await Fleet.ListManifestsAsync(null), o => o.Namespace == "invalid-app" || o.Name == "invalid-app");
    }

    [Fact]
    public async Task A_member_with_an_agent_is_rescheduled_when_it_joins_again_with_other_labels()
    {
        // No agent runs here: its work waits for it (ApplyPending), and the schedule follows its labels.
        var blue = new Dictionary<string, string> { ["test.fleetl4.io/color"] = "blue" };
        await Fleet.JoinClusterAsync("agent-member", blue);
        await ApplyToHub(Workload("agent-app"));
        await ApplyToHub(Placement("agent", "agent-app", """
              policy:
                affinity:
                  clusterAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      clusterSelectorTerms:
                        - labelSelector:
                            matchExpressions:
                              - { key: test.fleetl4.io/color, operator: Exists }
            """));
        var view = await Fleet.GetPlacementAsync("agent");
        var pending = Assert.Single(view.Clusters);
        Assert.Equal(("agent-member", "Unknown", PlacementApi.ApplyPending), (pending.Cluster, pending.AppliedStatus, pending.Reason));
        Assert.Equal(("Unknown", PlacementApi.ApplyPending), (Condition(view, PlacementApi.Applied).Status, Condition(view, PlacementApi.Applied).Reason));
        var work = await Fleet.GetWorkAsync("agent-member");
        Assert.Equal(4, Assert.Single(work.Placements).Objects.Count);

        // The agent reconnects with its labels changed: unscheduled, and its work is to be removed.
        await Fleet.JoinClusterAsync("agent-member", new Dictionary<string, string>());
        view = await Eventually.Get(() => Fleet.GetPlacementAsync("agent"), p => p.Clusters.Count == 0, "agent-member unscheduled");
        Assert.Equal(("True", PlacementApi.ApplySucceeded), (Condition(view, PlacementApi.Applied).Status, Condition(view, PlacementApi.Applied).Reason));
        work = await Fleet.GetWorkAsync("agent-member");
        Assert.Empty(work.Placements);
        Assert.Equal(["Deployment agent-app/kuard", "Namespace agent-app", "Service agent-app/kuard", "ServiceExport agent-app/kuard"],
            work.Remove.Select(r => r.ToString()).Order(StringComparer.Ordinal));

        // It reports them removed: the list empties.
        await Fleet.ReportWorkAsync("agent-member", new ClusterWorkReport([], work.Remove));
        Assert.Empty((await Fleet.GetWorkAsync("agent-member")).Remove);
    }

    [Fact]
    public async Task Hub_objects_and_placements_survive_their_grains_being_deactivated()
    {
        await Fleet.JoinClusterAsync("survive-1", new Dictionary<string, string> { ["test.fleetl4.io/suite"] = "survive" }, isVirtual: true);
        await ApplyToHub(Workload("survive-app"));
        var placement = Placement("survive", "survive-app", """
              policy:
                placementType: PickFixed
                clusterNames: [survive-1]
            """);
        await ApplyToHub(placement);
        var before = await WaitForApplied("survive", "survive-1");
        var objects = (await Fleet.ListManifestsAsync(null)).Where(o => o.Namespace == "survive-app" || o.Name == "survive-app").Select(o => o.Json).Order().ToList();

        await _hub.DeactivateIdleGrainsAsync();

        var after = await Fleet.GetPlacementAsync("survive");
        Assert.Equal((before.Generation, before.Revision, before.CreationTimestamp), (after.Generation, after.Revision, after.CreationTimestamp));
        Assert.Equal(before.Conditions, after.Conditions);
        Assert.Equal(objects, (await Fleet.ListManifestsAsync(null)).Where(o => o.Namespace == "survive-app" || o.Name == "survive-app").Select(o => o.Json).Order().ToList());
        Assert.Equal("unchanged", (await ApplyToHub(placement)).Single().Action);
    }
}
