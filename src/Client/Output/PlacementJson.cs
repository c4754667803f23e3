using System.Text.Json.Nodes;
using FleetL4.Members;
using FleetL4.Models;

namespace FleetL4.Client.Output;

/// <summary>
/// A ClusterResourcePlacement in the shape of Fleet's CRD: the object as applied (with the metadata the hub set) and
/// a status built from the hub's view. Fleet's status fields are <c>omitempty</c>, so empty lists are left out.
/// </summary>
public static class PlacementJson
{
    /// <summary>The type of the per-cluster condition in placementStatuses[].conditions (Fleet's ResourcesAppliedConditionType
    /// of the API version whose printer columns are SCHEDULED and APPLIED).</summary>
    public const string ClusterAppliedType = "ResourceApplied";

    /// <summary>The type of a failedPlacements[].condition (the Work manifest condition Fleet copies there).</summary>
    public const string ResourceAppliedType = "Applied";

    public static JsonObject Placement(PlacementView p)
    {
        var o = p.Json is null
            ? new JsonObject { ["apiVersion"] = PlacementApi.ApiVersion, ["kind"] = PlacementApi.Kind, ["metadata"] = new JsonObject { ["name"] = p.Name } }
            : JsonNode.Parse(p.Json)!.AsObject();
        o["status"] = Status(p);
        return o;
    }

    public static JsonObject Status(PlacementView p)
    {
        var status = new JsonObject();
        AddList(status, "selectedResources", p.SelectedResources.Select(Identifier));
        AddList(status, "placementStatuses", p.Clusters.Select(Cluster));
        if (p.Conditions.Count > 0) status["conditions"] = ResourceJson.Conditions(p.Conditions);
        return status;
    }

    private static JsonObject Cluster(ClusterPlacementStatus c)
    {
        var o = new JsonObject { ["clusterName"] = c.Cluster };
        AddList(o, "failedPlacements", c.Failed.Select(f =>
        {
            var failed = Identifier(f.Resource);
            failed["condition"] = Condition(ResourceAppliedType, ConditionStatuses.False, PlacementApi.ApplyFailed, f.Message);
            return failed;
        }));
        // The hub keeps no transition time or generation per cluster: the condition says only what it knows.
        o["conditions"] = new JsonArray(Condition(ClusterAppliedType, c.AppliedStatus, c.Reason, c.Message));
        return o;
    }

    /// <summary>Fleet's ResourceIdentifier: the core group and a cluster-scoped object's namespace are left out.</summary>
    private static JsonObject Identifier(ResourceId r)
    {
        var o = new JsonObject();
        if (r.Group.Length > 0) o["group"] = r.Group;
        o["version"] = r.Version;
        o["kind"] = r.Kind;
        o["name"] = r.Name;
        if (!string.IsNullOrEmpty(r.Namespace)) o["namespace"] = r.Namespace;
        return o;
    }

    private static JsonObject Condition(string type, string status, string reason, string? message)
    {
        var o = new JsonObject { ["type"] = type, ["status"] = status, ["reason"] = reason };
        if (!string.IsNullOrEmpty(message)) o["message"] = message;
        return o;
    }

    private static void AddList(JsonObject o, string key, IEnumerable<JsonNode?> items)
    {
        var list = items.ToArray();
        if (list.Length > 0) o[key] = new JsonArray(list);
    }
}
