using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace FleetL4.Client.Manifests;

/// <summary>Fleet's custom resources as the member agent and virtual clusters read them.</summary>
public static class FleetResources
{
    public const string Group = "networking.fleet.azure.com";
    public const string WeightAnnotation = "networking.fleet.azure.com/weight";
    public const string ServiceNameLabel = "kubernetes.io/service-name";
}

/// <summary>networking.fleet.azure.com ServiceExport (v1alpha1 and v1beta1): no spec, its name names the Service.</summary>
public sealed class ServiceExportResource : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "networking.fleet.azure.com/v1alpha1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "ServiceExport";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("status")] public JsonObject? Status { get; set; }
}

/// <summary>networking.fleet.azure.com/v1alpha1 MultiClusterService.</summary>
public sealed class MultiClusterServiceResource : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "networking.fleet.azure.com/v1alpha1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "MultiClusterService";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public MultiClusterServiceResourceSpec? Spec { get; set; }
    [JsonPropertyName("status")] public JsonObject? Status { get; set; }
}

public sealed class MultiClusterServiceResourceSpec
{
    [JsonPropertyName("serviceImport")] public ServiceImportReference? ServiceImport { get; set; }
}

public sealed class ServiceImportReference
{
    [JsonPropertyName("name")] public string? Name { get; set; }
}

public sealed class ServiceExportList : IKubernetesObject<V1ListMeta>, IItems<ServiceExportResource>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "networking.fleet.azure.com/v1alpha1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "ServiceExportList";
    [JsonPropertyName("metadata")] public V1ListMeta Metadata { get; set; } = new();
    [JsonPropertyName("items")] public IList<ServiceExportResource> Items { get; set; } = [];
}

public sealed class MultiClusterServiceList : IKubernetesObject<V1ListMeta>, IItems<MultiClusterServiceResource>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "networking.fleet.azure.com/v1alpha1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "MultiClusterServiceList";
    [JsonPropertyName("metadata")] public V1ListMeta Metadata { get; set; } = new();
    [JsonPropertyName("items")] public IList<MultiClusterServiceResource> Items { get; set; } = [];
}
