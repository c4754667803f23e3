using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>
/// A placement's two conditions: Scheduled (the scheduler's decision, for the spec's generation) and Applied
/// (the selected clusters' reports on the current revision, for the generation that revision was made from).
/// </summary>
public static class PlacementConditions
{
    // Messages name at most this many clusters, so a fleet-wide failure stays one readable line.
    private const int MaxNamed = 10;

    /// <param name="clusters">The placement's status on each cluster; those not selected any more are left out.</param>
    /// <param name="revision">The revision of the selected resources that every selected cluster should apply.</param>
    /// <param name="revisionGeneration">The placement's generation that <paramref name="revision"/> was made for.</param>
    public static IReadOnlyList<Condition> Next(
        IReadOnlyList<Condition> current, ScheduleDecision decision, long generation,
        IReadOnlyList<ClusterPlacementStatus> clusters, long revision, long revisionGeneration, DateTimeOffset now)
    {
        var scheduled = decision.Fulfilled
            ? ConditionSet.Set(current, PlacementApi.Scheduled, ConditionStatuses.True, PlacementApi.SchedulingPolicyFulfilled, decision.Message, generation, now)
            : ConditionSet.Set(current, PlacementApi.Scheduled, ConditionStatuses.False, PlacementApi.SchedulingPolicyUnfulfilled, decision.Message, generation, now);
        var (status, reason, message) = Applied(decision.Clusters, clusters, revision);
        return ConditionSet.Set(scheduled, PlacementApi.Applied, status, reason, message, revisionGeneration, now);
    }

    private static (string Status, string Reason, string Message) Applied(
        IReadOnlyList<string> selected, IReadOnlyList<ClusterPlacementStatus> clusters, long revision)
    {
        if (selected.Count == 0) return (ConditionStatuses.True, PlacementApi.ApplySucceeded, "no cluster is selected");
        var statuses = selected.Select(name => (Name: name, Status: clusters.FirstOrDefault(c => c.Cluster == name))).ToList();
        // A failure of an older revision is not this revision's: the cluster has yet to report on the current one.
        var failed = statuses.Where(s => s.Status is { AppliedStatus: ConditionStatuses.False } f && f.AppliedRevision == revision).ToList();
        if (failed.Count > 0)
        {
            var first = failed[0].Status!;
            var what = first.Failed.FirstOrDefault(r => !r.Applied) is { } resource ? $"{resource.Resource}: {resource.Message ?? "not applied"}" : first.Message;
            return (ConditionStatuses.False, PlacementApi.ApplyFailed,
                $"failed on {failed.Count} of {Count(selected.Count)}: {Names(failed.Select(s => s.Name).ToList())}; first failure on {first.Cluster}: {what}");
        }
        var waiting = statuses.Where(s => s.Status is not { AppliedStatus: ConditionStatuses.True } done || done.AppliedRevision != revision).ToList();
        if (waiting.Count > 0)
            return (ConditionStatuses.Unknown, PlacementApi.ApplyPending,
                $"waiting for {waiting.Count} of {Count(selected.Count)}: {Names(waiting.Select(s => s.Name).ToList())}");
        return (ConditionStatuses.True, PlacementApi.ApplySucceeded,
            selected.Count == 1 ? "applied to the 1 selected cluster" : $"applied to all {selected.Count} selected clusters");
    }

    private static string Count(int n) => n == 1 ? "1 cluster" : $"{n} clusters";

    private static string Names(List<string> names) =>
        names.Count <= MaxNamed ? string.Join(", ", names) : $"{string.Join(", ", names.Take(MaxNamed))} and {names.Count - MaxNamed} more";
}
