using FleetL4.Models;
using k8s;
using k8s.Models;

namespace FleetL4.Client.Manifests;

/// <summary>Typed views of single manifest objects.</summary>
public static class ManifestJson
{
    public static V1EndpointSlice Slice(ManifestObject o) => KubernetesJson.Deserialize<V1EndpointSlice>(o.Json);
}
