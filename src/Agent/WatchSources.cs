using FleetL4.Members.Resources;
using k8s;
using k8s.Models;

using FleetL4.KubernetesWatch;

namespace FleetL4.Agent;

/// <summary>The kinds the agent watches, in all namespaces (namespace null) or in one, through KubernetesClient.</summary>
public static class WatchSources
{
    public static WatchSource<V1Service> Services(IKubernetes k, string? ns) => ns is null
        ? new("services",
            async ct => Items(await k.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: ct)),
            (rv, timeout, onError, ct) => k.CoreV1.WatchListServiceForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv,
                timeoutSeconds: timeout, onError: onError, cancellationToken: ct))
        : new($"services in {ns}",
            async ct => Items(await k.CoreV1.ListNamespacedServiceAsync(ns, cancellationToken: ct)),
            (rv, timeout, onError, ct) => k.CoreV1.WatchListNamespacedServiceAsync(ns, allowWatchBookmarks: true, resourceVersion: rv,
                timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static WatchSource<V1EndpointSlice> EndpointSlices(IKubernetes k, string? ns) => ns is null
        ? new("endpointslices",
            async ct => Items(await k.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(cancellationToken: ct)),
            (rv, timeout, onError, ct) => k.DiscoveryV1.WatchListEndpointSliceForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv,
                timeoutSeconds: timeout, onError: onError, cancellationToken: ct))
        : new($"endpointslices in {ns}",
            async ct => Items(await k.DiscoveryV1.ListNamespacedEndpointSliceAsync(ns, cancellationToken: ct)),
            (rv, timeout, onError, ct) => k.DiscoveryV1.WatchListNamespacedEndpointSliceAsync(ns, allowWatchBookmarks: true, resourceVersion: rv,
                timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static WatchSource<ServiceExportResource> ServiceExports(IKubernetes k, string? ns) =>
        Custom<ServiceExportResource>(k, FleetApi.ServiceExports, FleetApi.ServiceExportVersion, ns);

    public static WatchSource<MultiClusterServiceResource> MultiClusterServices(IKubernetes k, string? ns) =>
        Custom<MultiClusterServiceResource>(k, FleetApi.MultiClusterServices, FleetApi.MultiClusterServiceVersion, ns);

    /// <summary>ServiceImports with the given labels only (the ones the agent mirrors).</summary>
    public static WatchSource<ServiceImportResource> ServiceImports(IKubernetes k, string? ns, string labelSelector) =>
        Custom<ServiceImportResource>(k, FleetApi.ServiceImports, FleetApi.ServiceImportVersion, ns, labelSelector);

    private const string Group = FleetApi.NetworkingGroup;

    private static WatchSource<T> Custom<T>(IKubernetes k, string plural, string version, string? ns, string? labelSelector = null)
        where T : IKubernetesObject<V1ObjectMeta> => ns is null
        ? new(plural,
            async ct => Items(await k.CustomObjects.ListClusterCustomObjectAsync<ResourceList<T>>(Group, version, plural, labelSelector: labelSelector, cancellationToken: ct)),
            (rv, timeout, onError, ct) => Typed<T>(k.CustomObjects.WatchListClusterCustomObjectAsync(Group, version, plural,
                allowWatchBookmarks: true, labelSelector: labelSelector, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)))
        : new($"{plural} in {ns}",
            async ct => Items(await k.CustomObjects.ListNamespacedCustomObjectAsync<ResourceList<T>>(Group, version, ns, plural, labelSelector: labelSelector, cancellationToken: ct)),
            (rv, timeout, onError, ct) => Typed<T>(k.CustomObjects.WatchListNamespacedCustomObjectAsync(Group, version, ns, plural,
                allowWatchBookmarks: true, labelSelector: labelSelector, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)));

    // The custom-object watch yields untyped JSON.
    private static async IAsyncEnumerable<(WatchEventType, T)> Typed<T>(IAsyncEnumerable<(WatchEventType Type, object Object)> events)
    {
        await foreach (var (type, o) in events)
            yield return (type, KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(o)));
    }

    private static (IReadOnlyList<T> Items, string ResourceVersion) Items<T>(IItems<T> list) where T : IKubernetesObject<V1ObjectMeta> =>
        (list.Items?.ToList() ?? [], ((IMetadata<V1ListMeta>)list).Metadata?.ResourceVersion ?? "0");
}
