using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace FleetL4.HubKubernetes;

/// <summary>Any Kubernetes object, read with its metadata typed and everything else (spec, data, status, ...) kept as
/// the API server sent it, so that the hub gets the object whole whatever its kind.</summary>
public sealed class UnstructuredObject : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonExtensionData] public Dictionary<string, JsonElement> Fields { get; set; } = [];

    /// <summary>A top-level field (spec, status, data, ...) as JSON, or null.</summary>
    public JsonNode? Field(string name) => Fields.TryGetValue(name, out var value) ? JsonSerializer.SerializeToNode(value) : null;
}
