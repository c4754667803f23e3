using System.Text.Json.Nodes;
using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>
/// A hub object as a placement puts it on a member, as Fleet writes it into a Work: without what the hub's API
/// server set (uid, resourceVersion, status, ...) or allocated for the hub alone (a Service's cluster IPs and node
/// ports), and labelled with its placement.
/// </summary>
public static class PlacedObject
{
    private static readonly string[] ServerMetadata =
    [
        "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink",
        "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences", "finalizers",
    ];

    public static ManifestObject ForMember(ManifestObject hubObject, string placement)
    {
        var root = JsonNode.Parse(hubObject.Json)!.AsObject();
        root.Remove("status");
        var meta = root["metadata"] as JsonObject ?? new JsonObject();
        root["metadata"] = meta;
        foreach (var field in ServerMetadata) meta.Remove(field);
        if (meta["annotations"] is JsonObject annotations)
        {
            annotations.Remove(FleetAnnotations.LastAppliedConfiguration);
            if (annotations.Count == 0) meta.Remove("annotations");
        }
        var labels = meta["labels"] as JsonObject ?? new JsonObject();
        labels[PlacementApi.ParentLabel] = placement;
        meta["labels"] = labels;
        if (hubObject is { ApiVersion: FleetApi.CoreV1, Kind: FleetApi.Service } && root["spec"] is JsonObject spec) StripAllocations(spec);
        return hubObject with { Json = root.ToJsonString() };
    }

    /// <summary>What the hub's API server allocated for a Service; each member allocates its own. A headless
    /// Service keeps clusterIP "None" (as Fleet keeps it): without it the member would make it a ClusterIP one.</summary>
    private static void StripAllocations(JsonObject spec)
    {
        if (spec["clusterIP"] is not JsonValue ip || !ip.TryGetValue<string>(out var value) || value != "None")
        {
            spec.Remove("clusterIP");
            spec.Remove("clusterIPs");
        }
        spec.Remove("healthCheckNodePort");
        if (spec["ports"] is JsonArray ports)
            foreach (var port in ports.OfType<JsonObject>()) port.Remove("nodePort");
    }
}
