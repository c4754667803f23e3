using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace FleetL4.Members.Resources;

/// <summary>networking.fleet.azure.com/v1alpha1 ServiceImport, as the agent mirrors it into a member: no spec, a status.</summary>
public sealed class ServiceImportResource : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = FleetApi.ServiceImportApiVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = FleetApi.ServiceImport;
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("status")] public JsonObject? Status { get; set; }
}
