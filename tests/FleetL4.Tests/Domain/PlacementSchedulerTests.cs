using FleetL4.Domain;
using FleetL4.Models;

namespace FleetL4.Tests.Domain;

public class PlacementSchedulerTests
{
    private const string Location = "fleet.azure.com/location";

    private static ClusterCandidate Cluster(string name, string location, params (string Key, string Value)[] more) =>
        new(name, new Dictionary<string, string>(more.Select(kv => KeyValuePair.Create(kv.Key, kv.Value))) { [Location] = location });

    // The seed's three members.
    private static readonly ClusterCandidate[] Seed = [Cluster("aks-member-1", "eastus"), Cluster("aks-member-2", "eastus"), Cluster("aks-member-3", "westus")];

    private static LabelSelector In(string location) => new(new Dictionary<string, string> { [Location] = location }, []);

    private static PlacementPolicy PickAll(params LabelSelector[] terms) => new(PlacementApi.PickAll, [], null, terms);

    private static PlacementPolicy PickN(int n, params LabelSelector[] terms) => new(PlacementApi.PickN, [], n, terms);

    private static ScheduleDecision Schedule(PlacementPolicy policy, IReadOnlyList<ClusterCandidate> clusters, params string[] previous) =>
        PlacementScheduler.Schedule(policy, clusters, previous);

    [Fact]
    public void The_seed_placement_selects_the_two_eastus_clusters()
    {
        var decision = Schedule(PickAll(In("eastus")), Seed);
        Assert.Equal(["aks-member-1", "aks-member-2"], decision.Clusters);
        Assert.True(decision.Fulfilled);
        Assert.Equal("found all 2 clusters matching the placement policy", decision.Message);
    }

    [Fact]
    public void A_relabelled_cluster_joins_or_leaves_the_placement()
    {
        Assert.Equal(["aks-member-1", "aks-member-2", "aks-member-3"], Schedule(PickAll(In("eastus")), [.. Seed[..2], Cluster("aks-member-3", "eastus")]).Clusters);
        Assert.Equal(["aks-member-2"], Schedule(PickAll(In("eastus")), [Cluster("aks-member-1", "westus"), .. Seed[1..]]).Clusters);
    }

    /// <summary>(policy, clusters, previous, expected clusters, fulfilled, message).</summary>
    public static TheoryData<PlacementPolicy, ClusterCandidate[], string[], string[], bool, string> Cases() => new()
    {
        // PickAll
        { PlacementPolicy.Default, Seed, [], ["aks-member-1", "aks-member-2", "aks-member-3"], true, "found all 3 clusters matching the placement policy" },
        { PickAll(In("westus")), Seed, [], ["aks-member-3"], true, "found 1 cluster matching the placement policy" },
        { PickAll(In("northeurope")), Seed, [], [], true, "no cluster matches the placement policy" },
        { PlacementPolicy.Default, [], [], [], true, "no cluster matches the placement policy" },
        // ORed terms
        { PickAll(In("westus"), In("eastus")), Seed, [], ["aks-member-1", "aks-member-2", "aks-member-3"], true, "found all 3 clusters matching the placement policy" },
        { PickAll(In("westus"), In("northeurope")), Seed, [], ["aks-member-3"], true, "found 1 cluster matching the placement policy" },
        // matchExpressions
        { PickAll(new LabelSelector(new Dictionary<string, string>(), [new LabelRequirement(Location, LabelOperators.NotIn, ["eastus"])])), Seed, [],
            ["aks-member-3"], true, "found 1 cluster matching the placement policy" },
        { PickAll(new LabelSelector(new Dictionary<string, string>(), [new LabelRequirement("canary", LabelOperators.Exists, [])])),
            [.. Seed, Cluster("aks-member-4", "eastus", ("canary", "true"))], [], ["aks-member-4"], true, "found 1 cluster matching the placement policy" },
        // PickN: by name when nothing was picked before
        { PickN(2), Seed, [], ["aks-member-1", "aks-member-2"], true, "picked 2 of the 3 clusters matching the placement policy" },
        { PickN(1, In("eastus")), Seed, [], ["aks-member-1"], true, "picked 1 of the 2 clusters matching the placement policy" },
        { PickN(0), Seed, [], [], true, "picked 0 of the 3 clusters matching the placement policy" },
        { PickN(2, In("westus")), Seed, [], ["aks-member-3"], false, "only 1 of 2 clusters matches the placement policy" },
        { PickN(1, In("northeurope")), Seed, [], [], false, "only 0 of 1 clusters match the placement policy" },
        // PickN is stable: a previous pick that still qualifies stays
        { PickN(2), [Cluster("aks-member-0", "eastus"), .. Seed], ["aks-member-2", "aks-member-3"], ["aks-member-2", "aks-member-3"], true,
            "picked 2 of the 4 clusters matching the placement policy" }, // a new cluster joins: nothing moves
        { PickN(2), [Seed[0], Seed[2]], ["aks-member-2", "aks-member-3"], ["aks-member-1", "aks-member-3"], true,
            "picked 2 of the 2 clusters matching the placement policy" }, // a picked one leaves: one other replaces it
        { PickN(2, In("eastus")), [.. Seed, Cluster("aks-member-0", "eastus")], ["aks-member-2", "aks-member-3"], ["aks-member-0", "aks-member-2"], true,
            "picked 2 of the 3 clusters matching the placement policy" }, // a picked one no longer qualifies: replaced by name
        { PickN(3), [.. Seed, Cluster("aks-member-0", "eastus")], ["aks-member-2", "aks-member-3"], ["aks-member-0", "aks-member-2", "aks-member-3"], true,
            "picked 3 of the 4 clusters matching the placement policy" }, // N grows: the previous stay, one more by name
        { PickN(1), [.. Seed, Cluster("aks-member-0", "eastus")], ["aks-member-2", "aks-member-3"], ["aks-member-2"], true,
            "picked 1 of the 4 clusters matching the placement policy" }, // N shrinks: previous ones kept by name, the rest cut
        // PickFixed: exactly the named joined clusters, affinity or not
        { new PlacementPolicy(PlacementApi.PickFixed, ["aks-member-3", "aks-member-1"], null, []), Seed, [], ["aks-member-1", "aks-member-3"], true,
            "picked the 2 clusters named in clusterNames" },
        { new PlacementPolicy(PlacementApi.PickFixed, ["aks-member-3"], null, [In("eastus")]), Seed, [], ["aks-member-3"], true,
            "picked the 1 cluster named in clusterNames" },
        { new PlacementPolicy(PlacementApi.PickFixed, ["aks-member-1", "aks-member-9"], null, []), Seed, [], ["aks-member-1"], false,
            "cluster \"aks-member-9\" not joined; picked 1 of 2 named in clusterNames" },
        { new PlacementPolicy(PlacementApi.PickFixed, ["aks-member-9", "aks-member-8"], null, []), Seed, ["aks-member-1"], [], false,
            "clusters \"aks-member-8\", \"aks-member-9\" not joined; picked 0 of 2 named in clusterNames" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Schedules_as_the_policy_says(PlacementPolicy policy, ClusterCandidate[] clusters, string[] previous, string[] expected, bool fulfilled, string message)
    {
        var decision = Schedule(policy, clusters, previous);
        Assert.Equal(expected, decision.Clusters);
        Assert.Equal(fulfilled, decision.Fulfilled);
        Assert.Equal(message, decision.Message);
    }

    [Fact]
    public void The_result_is_in_ordinal_name_order_whatever_order_the_clusters_come_in()
    {
        ClusterCandidate[] shuffled = [Cluster("b", "eastus"), Cluster("B", "eastus"), Cluster("a", "eastus")];
        Assert.Equal(["B", "a", "b"], Schedule(PlacementPolicy.Default, shuffled).Clusters);
        Assert.Equal(["B", "b"], Schedule(PickN(2), shuffled, "b").Clusters);
    }

    [Fact]
    public void PickN_follows_a_fleet_that_changes_one_cluster_at_a_time_without_moving_a_kept_pick()
    {
        var picked = Schedule(PickN(2), Seed).Clusters;
        Assert.Equal(["aks-member-1", "aks-member-2"], picked);
        // aks-member-0 joins, aks-member-1 leaves, aks-member-1 comes back: each step moves at most the one it must.
        ClusterCandidate[] withZero = [Cluster("aks-member-0", "eastus"), .. Seed];
        picked = Schedule(PickN(2), withZero, [.. picked]).Clusters;
        Assert.Equal(["aks-member-1", "aks-member-2"], picked);
        picked = Schedule(PickN(2), withZero.Where(c => c.Name != "aks-member-1").ToList(), [.. picked]).Clusters;
        Assert.Equal(["aks-member-0", "aks-member-2"], picked);
        picked = Schedule(PickN(2), withZero, [.. picked]).Clusters;
        Assert.Equal(["aks-member-0", "aks-member-2"], picked);
    }
}
