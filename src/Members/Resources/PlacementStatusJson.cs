using System.Globalization;
using System.Text.Json.Nodes;
using FleetL4.Models;

namespace FleetL4.Members.Resources;

/// <summary>
/// A ClusterResourcePlacement's .status in Fleet's v1 shape, written once for the CLI's -o json|yaml and the hub's
/// write-back to its API server: conditions, observedResourceIndex, placementStatuses (clusterName, conditions
/// Scheduled and Applied, failedPlacements) and selectedResources. Lists are always there, also when empty: the
/// write-back is a merge patch, and an absent list would leave the old one standing.
/// </summary>
public static class PlacementStatusJson
{
    /// <param name="generation">The generation the per-cluster conditions observe (the hub's own, or the API server's).</param>
    /// <param name="since">When a per-cluster condition (cluster, condition) became what it is; the hub keeps no such time
    /// per cluster, so callers say what they know (the time shown before, or the placement's).</param>
    public static JsonObject Of(IReadOnlyList<Condition> conditions, PlacementView? view, long generation, Func<string, Condition, Condition> since)
    {
        var status = new JsonObject
        {
            ["conditions"] = ResourceJson.Conditions(conditions),
            ["placementStatuses"] = new JsonArray([.. (view?.Clusters ?? []).Select(c => (JsonNode?)Cluster(c, generation, since))]),
            ["selectedResources"] = new JsonArray([.. (view?.SelectedResources ?? []).Select(r => (JsonNode?)Identifier(r))]),
        };
        if (view is not null) status["observedResourceIndex"] = view.Revision.ToString(CultureInfo.InvariantCulture);
        return status;
    }

    private static JsonObject Cluster(ClusterPlacementStatus c, long generation, Func<string, Condition, Condition> since)
    {
        var applied = since(c.Cluster, new Condition(PlacementApi.ClusterApplied, c.AppliedStatus, c.Reason, c.Message, generation, default));
        var cluster = new JsonObject
        {
            ["clusterName"] = c.Cluster,
            ["conditions"] = ResourceJson.Conditions(
            [
                since(c.Cluster, new Condition(PlacementApi.ClusterScheduled, ConditionStatuses.True, PlacementApi.ScheduleSucceeded,
                    "picked by the placement's scheduling policy", generation, default)),
                applied,
            ]),
        };
        if (c.Failed.Count > 0)
            cluster["failedPlacements"] = new JsonArray([.. c.Failed.Select(f =>
            {
                var failed = Identifier(f.Resource);
                failed["condition"] = ResourceJson.Conditions([applied with { Message = f.Message ?? "" }])[0]!.DeepClone();
                return (JsonNode?)failed;
            })]);
        return cluster;
    }

    /// <summary>Fleet's ResourceIdentifier: the core group's "" and a cluster-scoped object's namespace are left out.</summary>
    public static JsonObject Identifier(ResourceId r)
    {
        var o = new JsonObject();
        if (r.Group.Length > 0) o["group"] = r.Group;
        o["version"] = r.Version;
        o["kind"] = r.Kind;
        o["name"] = r.Name;
        if (!string.IsNullOrEmpty(r.Namespace)) o["namespace"] = r.Namespace;
        return o;
    }
}
