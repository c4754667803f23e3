using System.Text.Json.Nodes;
using FleetL4.Models;
using k8s;

namespace FleetL4.HubKubernetes;

/// <summary>
/// An object of the hub's API server as the user applied it, which is what the hub takes: its status and what the
/// API server and its controllers stamp on it are left out (the hub stamps its own uid, resourceVersion,
/// generation and creation time), so that a status update or a controller's bookkeeping is no change to the hub.
/// (What a member must not get, such as the hub cluster's cluster IPs, <c>PlacedObject</c> leaves out.)
/// </summary>
public static class HubManifest
{
    /// <summary>Annotations written by tools and controllers, not by the user: kubectl's copy of the whole object (it
    /// would double what the hub stores), and the Deployment controller's revision (a member's controller keeps its own).</summary>
    private static readonly string[] ServerAnnotations =
    [
        FleetAnnotations.LastAppliedConfiguration,
        FleetAnnotations.DeploymentRevision,
    ];

    public static ManifestObject Of(HubKind kind, UnstructuredObject o)
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(o))!.AsObject();
        node.Remove("status");
        var meta = o.Metadata;
        var metadata = new JsonObject { ["name"] = meta.Name };
        if (kind.Namespaced) metadata["namespace"] = meta.NamespaceProperty;
        if (meta.Labels is { Count: > 0 } labels) metadata["labels"] = Map(labels);
        var annotations = meta.Annotations?.Where(a => !ServerAnnotations.Contains(a.Key)).ToArray() ?? [];
        if (annotations.Length > 0) metadata["annotations"] = Map(annotations);
        node["metadata"] = metadata;
        return new ManifestObject(o.ApiVersion, o.Kind, kind.Namespaced ? meta.NamespaceProperty : null, meta.Name, node.ToJsonString());
    }

    private static JsonObject Map(IEnumerable<KeyValuePair<string, string>> entries) =>
        new(entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value)));
}
