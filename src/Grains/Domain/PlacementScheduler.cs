using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>
/// Which joined clusters a placement goes to, as Fleet's scheduler picks them with required cluster affinity
/// only: a cluster qualifies when there are no terms or any term (ORed) matches its labels.
/// </summary>
public static class PlacementScheduler
{
    /// <param name="clusters">The joined clusters.</param>
    /// <param name="previous">The clusters picked last time; PickN keeps those that still qualify, so that a
    /// cluster joining or leaving moves no placement but the one it must.</param>
    public static ScheduleDecision Schedule(PlacementPolicy policy, IReadOnlyList<ClusterCandidate> clusters, IReadOnlyCollection<string> previous) =>
        policy.PlacementType switch
        {
            PlacementApi.PickFixed => PickFixed(policy.ClusterNames, clusters),
            PlacementApi.PickN => PickN(policy.NumberOfClusters ?? 0, Qualifying(policy, clusters), previous),
            _ => PickAll(Qualifying(policy, clusters)),
        };

    private static List<string> Qualifying(PlacementPolicy policy, IReadOnlyList<ClusterCandidate> clusters) =>
        clusters.Where(c => policy.ClusterSelectorTerms.Count == 0 || policy.ClusterSelectorTerms.Any(t => LabelSelectorRule.Matches(t, c.Labels)))
            .Select(c => c.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    private static ScheduleDecision PickAll(List<string> qualifying) =>
        new(qualifying, true, qualifying.Count switch
        {
            0 => "no cluster matches the placement policy",
            1 => "found 1 cluster matching the placement policy",
            var n => $"found all {Count(n)} matching the placement policy",
        });

    // As Fleet: the named clusters are not filtered by affinity; those not joined are what is unfulfilled.
    private static ScheduleDecision PickFixed(IReadOnlyList<string> names, IReadOnlyList<ClusterCandidate> clusters)
    {
        var joined = clusters.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var picked = names.Where(joined.Contains).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var missing = names.Where(n => !joined.Contains(n)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (missing.Count == 0) return new(picked, true, $"picked the {Count(picked.Count)} named in clusterNames");
        return new(picked, false, $"{(missing.Count == 1 ? "cluster" : "clusters")} {string.Join(", ", missing.Select(NameRules.Quote))} not joined; picked {picked.Count} of {names.Count} named in clusterNames");
    }

    // Stable: what was picked and still qualifies stays (by name), then newcomers by name; the cut falls on the end.
    private static ScheduleDecision PickN(int wanted, List<string> qualifying, IReadOnlyCollection<string> previous)
    {
        var kept = qualifying.Where(previous.Contains);
        var added = qualifying.Where(c => !previous.Contains(c));
        var picked = kept.Concat(added).Take(wanted).Order(StringComparer.Ordinal).ToList();
        if (qualifying.Count >= wanted)
            return new(picked, true, $"picked {wanted} of the {Count(qualifying.Count)} matching the placement policy");
        return new(picked, false, $"only {qualifying.Count} of {wanted} clusters {(qualifying.Count == 1 ? "matches" : "match")} the placement policy");
    }

    private static string Count(int n) => n == 1 ? "1 cluster" : $"{n} clusters";
}
