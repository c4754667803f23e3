using FleetL4.Domain;
using FleetL4.Models;

namespace FleetL4.Tests.Domain;

public class PlacementConditionsTests
{
    private static readonly DateTimeOffset T1 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T2 = T1.AddMinutes(1);

    private static readonly ScheduleDecision Both = new(["aks-member-1", "aks-member-2"], true, "found all 2 clusters matching the placement policy");

    private static ClusterPlacementStatus Applied(string cluster, long revision) =>
        new(cluster, ConditionStatuses.True, PlacementApi.ApplySucceeded, "applied", revision, []);

    private static ClusterPlacementStatus Failed(string cluster, long revision, params ResourceApplyResult[] results) =>
        new(cluster, ConditionStatuses.False, PlacementApi.ApplyFailed, "apply failed", revision, results);

    private static ClusterPlacementStatus Unknown(string cluster, long revision) =>
        new(cluster, ConditionStatuses.Unknown, PlacementApi.ApplyPending, "applying", revision, []);

    private static readonly ResourceApplyResult Quota = new(new ResourceId("", "v1", "ResourceQuota", "kuard-demo", "q"), false, "forbidden: exceeded quota");

    private static Condition Find(IReadOnlyList<Condition> conditions, string type) => ConditionSet.Find(conditions, type)!;

    private static IReadOnlyList<Condition> Next(ScheduleDecision decision, ClusterPlacementStatus[] clusters, IReadOnlyList<Condition>? current = null, DateTimeOffset? now = null) =>
        PlacementConditions.Next(current ?? [], decision, generation: 4, clusters, revision: 7, revisionGeneration: 3, now ?? T1);

    [Theory]
    [InlineData(true, "True", PlacementApi.SchedulingPolicyFulfilled)]
    [InlineData(false, "False", PlacementApi.SchedulingPolicyUnfulfilled)]
    public void Scheduled_says_the_decision_for_the_spec_generation(bool fulfilled, string status, string reason)
    {
        var conditions = Next(Both with { Fulfilled = fulfilled }, []);
        Assert.Equal(new Condition(PlacementApi.Scheduled, status, reason, Both.Message, 4, T1), Find(conditions, PlacementApi.Scheduled));
        Assert.Equal([PlacementApi.Scheduled, PlacementApi.Applied], conditions.Select(c => c.Type));
    }

    /// <summary>(the selected clusters' statuses, Applied status, reason, message).</summary>
    public static TheoryData<ClusterPlacementStatus[], string, string, string> AppliedCases() => new()
    {
        { [Applied("aks-member-1", 7), Applied("aks-member-2", 7)], "True", PlacementApi.ApplySucceeded, "applied to all 2 selected clusters" },
        { [Applied("aks-member-1", 7), Applied("aks-member-2", 7), Failed("aks-member-3", 7, Quota)], "True", PlacementApi.ApplySucceeded,
            "applied to all 2 selected clusters" }, // a cluster no longer selected does not count
        { [Applied("aks-member-1", 7)], "Unknown", PlacementApi.ApplyPending, "waiting for 1 of 2 clusters: aks-member-2" }, // no report yet
        { [Applied("aks-member-1", 7), Applied("aks-member-2", 6)], "Unknown", PlacementApi.ApplyPending, "waiting for 1 of 2 clusters: aks-member-2" }, // an older revision
        { [Unknown("aks-member-1", 7), Applied("aks-member-2", 6)], "Unknown", PlacementApi.ApplyPending, "waiting for 2 of 2 clusters: aks-member-1, aks-member-2" },
        { [Applied("aks-member-1", 7), Failed("aks-member-2", 7, new ResourceApplyResult(Quota.Resource with { Name = "ok" }, true), Quota)],
            "False", PlacementApi.ApplyFailed, "failed on 1 of 2 clusters: aks-member-2; first failure on aks-member-2: ResourceQuota kuard-demo/q: forbidden: exceeded quota" },
        { [Failed("aks-member-1", 7), Failed("aks-member-2", 7, Quota)], "False", PlacementApi.ApplyFailed,
            "failed on 2 of 2 clusters: aks-member-1, aks-member-2; first failure on aks-member-1: apply failed" }, // no object named: the cluster's message
        { [Failed("aks-member-1", 7, Quota), Unknown("aks-member-2", 7)], "False", PlacementApi.ApplyFailed,
            "failed on 1 of 2 clusters: aks-member-1; first failure on aks-member-1: ResourceQuota kuard-demo/q: forbidden: exceeded quota" }, // a failure outweighs a wait
        { [Failed("aks-member-1", 6, Quota), Applied("aks-member-2", 7)], "Unknown", PlacementApi.ApplyPending,
            "waiting for 1 of 2 clusters: aks-member-1" }, // the failure was the old revision's
    };

    [Theory]
    [MemberData(nameof(AppliedCases))]
    public void Applied_sums_up_the_selected_clusters_on_the_current_revision(ClusterPlacementStatus[] clusters, string status, string reason, string message)
    {
        var applied = Find(Next(Both, clusters), PlacementApi.Applied);
        Assert.Equal(new Condition(PlacementApi.Applied, status, reason, message, 3, T1), applied);
    }

    [Fact]
    public void With_no_cluster_selected_it_is_applied_everywhere_it_should_be()
    {
        var applied = Find(Next(new ScheduleDecision([], true, "no cluster matches the placement policy"), []), PlacementApi.Applied);
        Assert.Equal((ConditionStatuses.True, PlacementApi.ApplySucceeded, "no cluster is selected"), (applied.Status, applied.Reason, applied.Message));
    }

    [Fact]
    public void A_message_names_at_most_ten_clusters()
    {
        var names = Enumerable.Range(10, 12).Select(i => $"c{i}").ToList();
        var applied = Find(Next(new ScheduleDecision(names, true, "found all"), []), PlacementApi.Applied);
        Assert.Equal("waiting for 12 of 12 clusters: c10, c11, c12, c13, c14, c15, c16, c17, c18, c19 and 2 more", applied.Message);
    }

    [Fact]
    public void The_transition_time_moves_only_when_a_status_changes()
    {
        var first = Next(Both, [Applied("aks-member-1", 7)]);                                   // Scheduled True, Applied Unknown at T1
        var same = Next(Both with { Message = "found all 2 clusters again" }, [Applied("aks-member-1", 7), Unknown("aks-member-2", 7)], first, T2);
        Assert.Equal(T1, Find(same, PlacementApi.Scheduled).LastTransitionTime);
        Assert.Equal("found all 2 clusters again", Find(same, PlacementApi.Scheduled).Message);
        Assert.Equal(T1, Find(same, PlacementApi.Applied).LastTransitionTime);
        var done = Next(Both, [Applied("aks-member-1", 7), Applied("aks-member-2", 7)], same, T2);  // Applied Unknown -> True
        Assert.Equal(T1, Find(done, PlacementApi.Scheduled).LastTransitionTime);
        Assert.Equal(T2, Find(done, PlacementApi.Applied).LastTransitionTime);
        Assert.Same(done, Next(Both, [Applied("aks-member-1", 7), Applied("aks-member-2", 7)], done, T2.AddMinutes(1))); // nothing changed
    }
}
