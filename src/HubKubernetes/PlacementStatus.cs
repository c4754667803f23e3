using System.Globalization;
using System.Text.Json.Nodes;
using FleetL4.Members;
using FleetL4.Members.Resources;
using FleetL4.Models;

namespace FleetL4.HubKubernetes;

/// <summary>
/// The .status a ClusterResourcePlacement on the hub's API server should show for what the hub holds of it, in
/// Fleet's v1 shape: conditions (Scheduled, Applied), observedResourceIndex, placementStatuses per cluster
/// (clusterName, conditions, failedPlacements) and selectedResources. The hub counts generations of its own, so an
/// observedGeneration is moved onto the API server's count, which only holds while both have the same spec: while
/// they differ (the hub has not taken the new spec yet) there is nothing to write. A spec the hub refused shows as
/// Scheduled False InvalidSpec for the API server's generation.
/// A lastTransitionTime the hub does not keep (per cluster) is the shown one while the condition's status stays.
/// </summary>
public static class PlacementStatus
{
    public static JsonObject? Of(UnstructuredObject crp, PlacementView? view, string? refusal, DateTimeOffset now)
    {
        var shown = crp.Field("status") as JsonObject;
        var generation = crp.Metadata.Generation ?? 1;
        var held = view is { Exists: true } ? view : null;
        if (refusal is not null)
            return Status([Kept(new Condition(PlacementApi.Scheduled, ConditionStatuses.False, ConditionReasons.InvalidSpec, refusal, generation, now), shown?["conditions"])],
                held, generation, shown, now);
        if (held is null || !JsonNode.DeepEquals(JsonNode.Parse(held.Json ?? "{}")?["spec"], crp.Field("spec"))) return null;
        var offset = generation - held.Generation;
        return Status([.. held.Conditions.Select(c => c with { ObservedGeneration = c.ObservedGeneration <= 0 ? 0 : Math.Max(1, c.ObservedGeneration + offset) })],
            held, generation, shown, now);
    }

    private static JsonObject Status(IReadOnlyList<Condition> conditions, PlacementView? view, long generation, JsonObject? shown, DateTimeOffset now) =>
        PlacementStatusJson.Of(conditions, view, generation, (cluster, c) => Kept(c with { LastTransitionTime = now }, ShownCluster(shown, cluster)?["conditions"]));

    private static JsonNode? ShownCluster(JsonObject? shown, string cluster) =>
        shown?["placementStatuses"] is JsonArray clusters ? clusters.FirstOrDefault(c => c?["clusterName"]?.GetValue<string>() == cluster) : null;

    /// <summary>The condition with the shown lastTransitionTime when the shown one of its type has the same status.</summary>
    private static Condition Kept(Condition c, JsonNode? shownConditions)
    {
        var old = shownConditions is JsonArray list ? list.FirstOrDefault(x => x?["type"]?.GetValue<string>() == c.Type) : null;
        return old?["status"]?.GetValue<string>() == c.Status
            && DateTimeOffset.TryParse(old["lastTransitionTime"]?.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since)
            ? c with { LastTransitionTime = since }
            : c;
    }
}
