using System.Text.Json.Nodes;
using FleetL4.Agent;
using FleetL4.Domain;
using FleetL4.Members;
using FleetL4.Models;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Kubernetes;

/// <summary>ClusterResourcePlacements on members with an agent: the hub's objects end up on the member's API
/// server, export for real from there, and leave when the placement goes, also while the agent was away.</summary>
public sealed class AgentPlacementTests(AgentHubFixture fixture) : IClassFixture<AgentHubFixture>
{
    private FleetL4.Client.FleetClient Fleet => fixture.Members;

    /// <summary>A member whose agent labels its cluster for this test's placement only (other tests' members stay
    /// joined to the shared hub for a while after they stop).</summary>
    private Task<MemberHarness> Member(string cluster) => MemberHarness.StartAsync(cluster, Fleet, fixture.WorkDir, c => new AgentOptions
    {
        Cluster = c,
        Labels = new Dictionary<string, string> { ["fleet.azure.com/location"] = "eastus", [TestLabel] = c },
        WatchTimeout = TimeSpan.FromSeconds(30),
        BackoffMin = TimeSpan.FromMilliseconds(50),
        BackoffMax = TimeSpan.FromMilliseconds(500),
    });

    private const string TestLabel = "test.fleetl4.io/member";

    /// <summary>crp-2.yaml of the seed, for one namespace and one member.</summary>
    private static string Placement(string name, string ns, string member) =>
        SeedManifests.Placement(name, ns, SeedManifests.RequiredLabels(new Dictionary<string, string> { ["fleet.azure.com/location"] = "eastus", [TestLabel] = member }));

    /// <summary>A member with the seed's workload in <paramref name="ns"/> placed on it by the placement of the same
    /// name, once all of it is there.</summary>
    private async Task<MemberHarness> PlacedMember(string ns)
    {
        var m = await Member($"{ns}-member");
        try
        {
            await ApplyToHub(SeedManifests.Workload(ns));
            await ApplyToHub(Placement(ns, ns, m.Cluster));
            await Eventually.True(() => PlacedOn(m, ns, ns).SequenceEqual(KuardIn(ns)), "the namespace's objects on the member", TimeSpan.FromSeconds(30));
            return m;
        }
        catch
        {
            await m.DisposeAsync();
            throw;
        }
    }

    private Task<IReadOnlyList<ManifestResult>> ApplyToHub(string yaml) => Fleet.ApplyManifestsAsync(null, ManifestReader.Read(yaml, "test.yaml"));

    private Task DeleteFromHub(string yaml) => Fleet.DeleteManifestsAsync(null, ManifestReader.Read(yaml, "test.yaml"));

    private static Condition? Find(PlacementView view, string type) => ConditionSet.Find(view.Conditions, type);

    private Task<PlacementView> WaitForPlacement(string name, Func<PlacementView, bool> done, string what) =>
        Eventually.Get(() => Fleet.GetPlacementAsync(name), done, what, TimeSpan.FromSeconds(30));

    /// <summary>The objects of a namespace on the member that a placement put there ("Kind name").</summary>
    private static IReadOnlyList<string> PlacedOn(MemberHarness m, string ns, string placement) =>
    [
        .. new[] { ("namespaces", (string?)null), ("deployments", ns), ("services", ns), ("serviceexports", ns), ("configmaps", ns) }
            .SelectMany(k => m.Api.List(k.Item1, k.Item2))
            .Where(o => ParentOf(o) == placement && (o["kind"]!.GetValue<string>() != "Namespace" || o["metadata"]!["name"]!.GetValue<string>() == ns))
            .Select(o => $"{o["kind"]} {o["metadata"]!["name"]}").Order(StringComparer.Ordinal),
    ];

    private static string? ParentOf(JsonObject o) => o["metadata"]?["labels"]?[PlacementApi.ParentLabel]?.GetValue<string>();

    /// <summary>What <see cref="SeedManifests.Workload"/> puts on a member, as <see cref="PlacedOn"/> lists it.</summary>
    private static string[] KuardIn(string ns) => ["Deployment kuard", $"Namespace {ns}", "Service kuard", "ServiceExport kuard"];

    /// <summary>Writes to the member other than status: the agent's applies.</summary>
    private static long Applies(MemberHarness m) =>
        m.Api.RequestCounts().Where(c => c.Key.StartsWith("PATCH ", StringComparison.Ordinal) && !c.Key.EndsWith("/status", StringComparison.Ordinal)).Sum(c => c.Value);

    [Fact]
    public async Task A_placed_namespace_reaches_the_member_exports_from_there_and_leaves_with_its_placement()
    {
        const string ns = "placed-kuard";
        await using var m = await PlacedMember(ns);
        // What the hub allocated for its own Service is not the member's.
        Assert.Null(m.Api.Get("services", ns, "kuard")!["spec"]!["clusterIP"]);

        var view = await WaitForPlacement("placed-kuard", p => Find(p, PlacementApi.Applied)?.Status == "True", "the placement applied");
        Assert.Equal(("True", PlacementApi.SchedulingPolicyFulfilled, 1L), (Find(view, PlacementApi.Scheduled)!.Status, Find(view, PlacementApi.Scheduled)!.Reason, Find(view, PlacementApi.Scheduled)!.ObservedGeneration));
        Assert.Equal(("True", PlacementApi.ApplySucceeded, 1L), (Find(view, PlacementApi.Applied)!.Status, Find(view, PlacementApi.Applied)!.Reason, Find(view, PlacementApi.Applied)!.ObservedGeneration));
        var cluster = Assert.Single(view.Clusters);
        Assert.Equal((m.Cluster, "True", PlacementApi.ApplySucceeded), (cluster.Cluster, cluster.AppliedStatus, cluster.Reason));

        // The placed Service and ServiceExport export for real once the member's pods have endpoints.
        m.Apply(MemberHarness.Slice(ns, "kuard-pods", "10.71.0.1", "10.71.0.2"));
        var export = await Eventually.Get(() => Fleet.GetServiceExportAsync(m.Cluster, ns, "kuard"),
            e => ConditionSet.Find(e.Conditions, ConditionTypes.Valid)?.Status == "True" && e.Endpoints.Count == 2, "the placed export valid on the hub");
        Assert.Equal(["10.71.0.1", "10.71.0.2"], export.Endpoints.Select(e => e.Address).Order());
        await Eventually.True(() => m.Condition("serviceexports", ns, "kuard", "Valid", "status") == "True", "the export's status written back on the member");

        await DeleteFromHub(Placement("placed-kuard", ns, m.Cluster));
        await Eventually.True(() => m.Api.Get("namespaces", null, ns) is null, "the namespace removed from the member", TimeSpan.FromSeconds(30));
        Assert.Empty(PlacedOn(m, ns, "placed-kuard"));
        Assert.Null(m.Api.Get("endpointslices", ns, "kuard-pods")); // went with its namespace, as on a real cluster
        await Eventually.Get(() => Fleet.GetServiceExportAsync(m.Cluster, ns, "kuard"), e => !e.Exists, "the export gone from the hub");
    }

    [Fact]
    public async Task An_object_the_member_cannot_take_fails_the_placement_naming_it_and_the_rest_is_applied()
    {
        const string ns = "placed-job";
        await using var m = await Member("placed-job-member");
        await ApplyToHub(SeedManifests.Workload(ns) + "\n" + """
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: { name: migrate, namespace: placed-job }
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers: [{ name: migrate, image: busybox }]
            """);
        await ApplyToHub(Placement("placed-job", ns, m.Cluster));

        var view = await WaitForPlacement("placed-job", p => Find(p, PlacementApi.Applied)?.Status == "False", "the placement failed");
        var applied = Find(view, PlacementApi.Applied)!;
        Assert.Equal(PlacementApi.ApplyFailed, applied.Reason);
        var cluster = Assert.Single(view.Clusters);
        Assert.Equal(PlacementApi.ApplyFailed, cluster.Reason);
        var failed = Assert.Single(cluster.Failed);
        Assert.Equal("Job placed-job/migrate", failed.Resource.ToString());
        Assert.Equal("the member's API server does not serve batch/v1 Job", failed.Message);
        Assert.Contains("Job placed-job/migrate", cluster.Message);
        Assert.Equal(KuardIn(ns), PlacedOn(m, ns, "placed-job"));
    }

    [Fact]
    public async Task Server_errors_of_the_member_are_retried_until_the_placement_is_applied()
    {
        const string ns = "placed-flaky";
        await using var m = await Member("placed-flaky-member");
        m.Api.FailNextApplies = 3; // etcd hiccups: 500s, then the API server is fine
        await ApplyToHub(SeedManifests.Workload(ns));
        await ApplyToHub(Placement(ns, ns, m.Cluster));

        var view = await WaitForPlacement(ns, p => Find(p, PlacementApi.Applied)?.Status == "True", "the placement applied after the retries");
        Assert.Equal(PlacementApi.ApplySucceeded, Assert.Single(view.Clusters).Reason);
        Assert.Equal(0, m.Api.FailNextApplies);
        Assert.Equal(KuardIn(ns), PlacedOn(m, ns, ns));
    }

    [Fact]
    public async Task An_agent_that_was_away_while_its_placement_was_deleted_removes_the_leftovers_when_back()
    {
        const string ns = "placed-away";
        await using var m = await PlacedMember(ns);
        // Something of the user's own in the placed namespace's neighbour stays.
        m.Apply("""
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: mine, namespace: default }
            """);

        await m.StopAgentAsync();
        await DeleteFromHub(Placement("placed-away", ns, m.Cluster));
        Assert.NotNull(m.Api.Get("namespaces", null, ns)); // nobody there to remove it

        m.StartAgent();
        await Eventually.True(() => m.Api.Get("namespaces", null, ns) is null, "the leftovers removed after the agent reconnected", TimeSpan.FromSeconds(30));
        Assert.Empty(PlacedOn(m, ns, "placed-away"));
        Assert.NotNull(m.Api.Get("configmaps", "default", "mine"));
        // Reported removed: the hub no longer lists them for this member.
        await Eventually.Get(() => Fleet.GetWorkAsync(m.Cluster), w => w.Remove.Count == 0 && w.Placements.Count == 0, "nothing left to remove");
    }

    [Fact]
    public async Task Changes_during_a_slow_apply_round_make_one_more_round_and_an_idle_agent_applies_nothing()
    {
        const string ns = "placed-burst";
        await using var m = await PlacedMember(ns);
        await WaitForPlacement("placed-burst", p => Find(p, PlacementApi.Applied)?.Status == "True", "the placement applied");

        // Each apply takes 150 ms: a round of five objects takes most of a second, and five changes land in it.
        m.Api.ApplyDelay = TimeSpan.FromMilliseconds(150);
        var rounds = m.Agent!.WorkRounds;
        for (var i = 1; i <= 5; i++)
            await ApplyToHub($"""
                apiVersion: v1
                kind: ConfigMap
                metadata: {"{"} name: settings, namespace: {ns} {"}"}
                data: {"{"} version: "{i}" {"}"}
                """);
        await Eventually.True(() => m.Api.Get("configmaps", ns, "settings")?["data"]?["version"]?.GetValue<string>() == "5", "the last change applied", TimeSpan.FromSeconds(30));
        var view = await WaitForPlacement("placed-burst", p => Find(p, PlacementApi.Applied)?.Status == "True" && p.Clusters.Single().AppliedRevision == p.Revision,
            "the last revision applied");
        Assert.True(m.Agent.WorkRounds - rounds < 5, $"{m.Agent.WorkRounds - rounds} rounds for 5 changes");
        Assert.Equal(view.Revision, view.Clusters.Single().AppliedRevision);

        // Idle: nothing is read, applied or reported while nothing changes.
        await m.WaitForQuietStatusAsync();
        var (idleRounds, applies) = (m.Agent.WorkRounds, Applies(m));
        await m.WaitForQuietStatusAsync();
        Assert.Equal(idleRounds, m.Agent.WorkRounds);
        Assert.Equal(applies, Applies(m));
    }
}
