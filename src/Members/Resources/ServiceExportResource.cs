using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace FleetL4.Members.Resources;

/// <summary>networking.fleet.azure.com ServiceExport (v1alpha1 and v1beta1): no spec, its name names the Service.</summary>
public sealed class ServiceExportResource : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = FleetApi.ServiceExportApiVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = FleetApi.ServiceExport;
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("status")] public JsonObject? Status { get; set; }
}
