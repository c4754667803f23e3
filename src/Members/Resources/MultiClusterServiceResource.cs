using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace FleetL4.Members.Resources;

/// <summary>networking.fleet.azure.com/v1alpha1 MultiClusterService.</summary>
public sealed class MultiClusterServiceResource : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = FleetApi.MultiClusterServiceApiVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = FleetApi.MultiClusterService;
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public MultiClusterServiceResourceSpec? Spec { get; set; }
    [JsonPropertyName("status")] public JsonObject? Status { get; set; }
}

/// <summary>spec of a MultiClusterService: the ServiceImport (same namespace) it load-balances.</summary>
public sealed class MultiClusterServiceResourceSpec
{
    [JsonPropertyName("serviceImport")] public ServiceImportReference? ServiceImport { get; set; }
}

/// <summary>spec.serviceImport of a MultiClusterService.</summary>
public sealed class ServiceImportReference
{
    [JsonPropertyName("name")] public string? Name { get; set; }
}
