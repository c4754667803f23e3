using System.Text.Json;
using FleetL4.Client.Manifests;
using FleetL4.Models;
using k8s;
using k8s.Models;

namespace FleetL4.Client.Members;

/// <summary>
/// The objects of one member cluster that FleetL4 reads, typed with KubernetesClient's models: Services,
/// EndpointSlices (by the Service they belong to), ServiceExports and MultiClusterServices. Filled from a virtual
/// cluster's store or from the agent's watch caches.
/// </summary>
public sealed class MemberObjects
{
    public Dictionary<string, V1Service> Services { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, ServiceExportResource> ServiceExports { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, MultiClusterServiceResource> MultiClusterServices { get; } = new(StringComparer.Ordinal);

    /// <summary>Key: namespace/service name (label kubernetes.io/service-name).</summary>
    public Dictionary<string, Dictionary<string, V1EndpointSlice>> EndpointSlices { get; } = new(StringComparer.Ordinal);

    public static string Key(string? ns, string name) => $"{ns}/{name}";

    public IEnumerable<V1EndpointSlice> SlicesOf(string key) =>
        EndpointSlices.TryGetValue(key, out var slices) ? slices.Values : [];

    /// <summary>Parses every object; throws naming the document and field of the first one that does not parse.</summary>
    public static MemberObjects From(IEnumerable<ManifestObject> objects)
    {
        var result = new MemberObjects();
        foreach (var o in objects) result.Add(o);
        return result;
    }

    public void Add(ManifestObject o)
    {
        var key = Key(o.Namespace, o.Name);
        switch (MemberObjectKinds.Classify(o))
        {
            case MemberObjectKind.Service:
                Services[key] = Parse<V1Service>(o);
                break;
            case MemberObjectKind.ServiceExport:
                ServiceExports[key] = Parse<ServiceExportResource>(o);
                break;
            case MemberObjectKind.MultiClusterService:
                MultiClusterServices[key] = Parse<MultiClusterServiceResource>(o);
                break;
            case MemberObjectKind.EndpointSlice:
                var slice = Parse<V1EndpointSlice>(o);
                var service = ServiceOf(slice);
                if (service is not null)
                {
                    var sliceKey = Key(o.Namespace, service);
                    if (!EndpointSlices.TryGetValue(sliceKey, out var slices)) EndpointSlices[sliceKey] = slices = new(StringComparer.Ordinal);
                    slices[o.Name] = slice;
                }
                break;
        }
    }

    public static string? ServiceOf(V1EndpointSlice slice) =>
        slice.Metadata?.Labels is { } labels && labels.TryGetValue(FleetResources.ServiceNameLabel, out var s) ? s : null;

    private static T Parse<T>(ManifestObject o)
    {
        try
        {
            return KubernetesJson.Deserialize<T>(o.Json) ?? throw new JsonException("empty object");
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "object";
            throw new FleetValidationException(field, $"in document {o.Document} ({MemberObjectKinds.Describe(o)}): {ex.Message.Split(" Path:")[0]}");
        }
    }
}
