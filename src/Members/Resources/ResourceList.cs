using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace FleetL4.Members.Resources;

/// <summary>A list of one custom resource kind, as the API server returns it.</summary>
public sealed class ResourceList<T> : IKubernetesObject<V1ListMeta>, IItems<T> where T : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = FleetApi.NetworkingV1Alpha1;
    [JsonPropertyName("kind")] public string Kind { get; set; } = "List";
    [JsonPropertyName("metadata")] public V1ListMeta Metadata { get; set; } = new();
    [JsonPropertyName("items")] public IList<T> Items { get; set; } = [];
}
