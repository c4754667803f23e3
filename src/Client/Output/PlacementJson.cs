using System.Text.Json.Nodes;
using FleetL4.Members.Resources;
using FleetL4.Models;

namespace FleetL4.Client.Output;

/// <summary>
/// A ClusterResourcePlacement in the shape of Fleet's CRD: the object as applied (with the metadata the hub set) and
/// the status the hub's write-back to its API server shows too (<see cref="PlacementStatusJson"/>).
/// </summary>
public static class PlacementJson
{
    public static JsonObject Placement(PlacementView p)
    {
        var o = p.Json is null
            ? new JsonObject { ["apiVersion"] = PlacementApi.ApiVersion, ["kind"] = PlacementApi.Kind, ["metadata"] = new JsonObject { ["name"] = p.Name } }
            : JsonNode.Parse(p.Json)!.AsObject();
        o["status"] = Status(p);
        return o;
    }

    /// <summary>The hub keeps no transition time per cluster: a cluster's conditions show the placement's Applied one.</summary>
    public static JsonObject Status(PlacementView p)
    {
        var since = p.Conditions.FirstOrDefault(c => c.Type == PlacementApi.Applied)?.LastTransitionTime ?? p.CreationTimestamp;
        return PlacementStatusJson.Of(p.Conditions, p, p.Generation, (_, c) => c with { LastTransitionTime = since });
    }
}
