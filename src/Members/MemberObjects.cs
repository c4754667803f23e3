using System.Text.Json;
using FleetL4.Members.Resources;
using FleetL4.Models;
using k8s;
using k8s.Models;

namespace FleetL4.Members;

/// <summary>
/// The objects of one member cluster that FleetL4 reads, typed with KubernetesClient's models: Services,
/// EndpointSlices (by the Service they belong to), ServiceExports and MultiClusterServices. Filled from a virtual
/// cluster's store or from the agent's watch caches.
/// </summary>
public sealed class MemberObjects
{
    public Dictionary<NamespacedName, V1Service> Services { get; } = [];
    public Dictionary<NamespacedName, ServiceExportResource> ServiceExports { get; } = [];
    public Dictionary<NamespacedName, MultiClusterServiceResource> MultiClusterServices { get; } = [];

    /// <summary>Key: the Service the slices belong to (label kubernetes.io/service-name); inner key: slice name.</summary>
    public Dictionary<NamespacedName, Dictionary<string, V1EndpointSlice>> EndpointSlices { get; } = [];

    /// <summary>Which Service each kept EndpointSlice (by its own namespace/name) belongs to.</summary>
    public Dictionary<NamespacedName, NamespacedName> SliceOwners { get; } = [];

    /// <summary>namespace/name of a Kubernetes object ("default" when its namespace is not set).</summary>
    public static NamespacedName NameOf(IKubernetesObject<V1ObjectMeta> o) => new(o.Metadata?.NamespaceProperty ?? "default", o.Metadata?.Name ?? "");

    public IEnumerable<V1EndpointSlice> SlicesOf(NamespacedName service) =>
        EndpointSlices.TryGetValue(service, out var slices) ? slices.Values : [];

    /// <summary>Parses every object; throws naming the document and field of the first one that does not parse.</summary>
    public static MemberObjects From(IEnumerable<ManifestObject> objects)
    {
        var result = new MemberObjects();
        foreach (var o in objects) result.Add(o);
        return result;
    }

    public void Add(ManifestObject o)
    {
        switch (MemberObjectKinds.Classify(o))
        {
            case MemberObjectKind.Service: Add(Parse<V1Service>(o)); break;
            case MemberObjectKind.ServiceExport: Add(Parse<ServiceExportResource>(o)); break;
            case MemberObjectKind.MultiClusterService: Add(Parse<MultiClusterServiceResource>(o)); break;
            case MemberObjectKind.EndpointSlice: Add(Parse<V1EndpointSlice>(o)); break;
        }
    }

    public void Add(V1Service service) => Services[NameOf(service)] = service;
    public void Add(ServiceExportResource export) => ServiceExports[NameOf(export)] = export;
    public void Add(MultiClusterServiceResource mcs) => MultiClusterServices[NameOf(mcs)] = mcs;

    public void Remove(V1Service service) => Services.Remove(NameOf(service));
    public void Remove(ServiceExportResource export) => ServiceExports.Remove(NameOf(export));
    public void Remove(MultiClusterServiceResource mcs) => MultiClusterServices.Remove(NameOf(mcs));

    /// <summary>Forgets a slice under the Service it was kept for (its label may have changed since).</summary>
    public void Remove(V1EndpointSlice slice)
    {
        if (!SliceOwners.Remove(NameOf(slice), out var service) || !EndpointSlices.TryGetValue(service, out var slices)) return;
        slices.Remove(slice.Metadata.Name);
        if (slices.Count == 0) EndpointSlices.Remove(service);
    }

    /// <summary>A slice without the service-name label belongs to no Service and is not kept.</summary>
    public void Add(V1EndpointSlice slice)
    {
        if (ServiceOf(slice) is not { } service) return;
        if (!EndpointSlices.TryGetValue(service, out var slices)) EndpointSlices[service] = slices = new(StringComparer.Ordinal);
        slices[slice.Metadata.Name] = slice;
        SliceOwners[NameOf(slice)] = service;
    }

    /// <summary>The Service an EndpointSlice belongs to, or null without the kubernetes.io/service-name label.</summary>
    public static NamespacedName? ServiceOf(V1EndpointSlice slice) =>
        slice.Metadata?.Labels is { } labels && labels.TryGetValue(FleetAnnotations.ServiceNameLabel, out var s)
            ? new NamespacedName(slice.Metadata.NamespaceProperty ?? "default", s)
            : null;

    /// <summary>One object as its KubernetesClient type; throws naming the document and field when it does not parse.</summary>
    public static T Parse<T>(ManifestObject o)
    {
        try
        {
            return KubernetesJson.Deserialize<T>(o.Json) ?? throw new JsonException("empty object");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or FormatException or OverflowException)
        {
            // Validated objects parse; this is the last guard for objects stored before validation existed.
            var field = ex is JsonException { Path: { Length: > 2 } path } ? path.TrimStart('$', '.') : "object";
            throw new FleetValidationException(field, $"in document {o.Document} ({MemberObjectKinds.Describe(o)}): {ex.Message.Split(" Path:")[0]}");
        }
    }
}
