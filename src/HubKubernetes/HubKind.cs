using FleetL4.KubernetesWatch;
using FleetL4.Members.Resources;
using k8s;

namespace FleetL4.HubKubernetes;

/// <summary>One kind the hub takes from its API server, listed and watched as untyped objects (the custom-objects
/// calls serve the core group too, at /api/v1).</summary>
public sealed record HubKind(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    public string ApiVersion => FleetApi.ApiVersion(Group, Version);

    public bool Is(string apiVersion, string kind) => kind == Kind && FleetApi.GroupOf(apiVersion) == Group;

    /// <summary>All of this kind, or (namespaced kinds only) those in <paramref name="ns"/>.</summary>
    public WatchSource<UnstructuredObject> Source(IKubernetes k, string? ns) => ns is null
        ? new(Plural,
            async ct => Items(await k.CustomObjects.ListClusterCustomObjectAsync<ResourceList<UnstructuredObject>>(Group, Version, Plural, cancellationToken: ct)),
            (rv, timeout, onError, ct) => Untyped(k.CustomObjects.WatchListClusterCustomObjectAsync(Group, Version, Plural, allowWatchBookmarks: true,
                resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)))
        : new($"{Plural} in {ns}",
            async ct => Items(await k.CustomObjects.ListNamespacedCustomObjectAsync<ResourceList<UnstructuredObject>>(Group, Version, ns, Plural, cancellationToken: ct)),
            (rv, timeout, onError, ct) => Untyped(k.CustomObjects.WatchListNamespacedCustomObjectAsync(Group, Version, ns, Plural, allowWatchBookmarks: true,
                resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)));

    // The custom-object watch yields each object as parsed JSON.
    private static async IAsyncEnumerable<(WatchEventType, UnstructuredObject)> Untyped(IAsyncEnumerable<(WatchEventType Type, object Object)> events)
    {
        await foreach (var e in events) yield return (e.Type, KubernetesJson.Deserialize<UnstructuredObject>(KubernetesJson.Serialize(e.Object)));
    }

    private static (IReadOnlyList<UnstructuredObject> Items, string ResourceVersion) Items(ResourceList<UnstructuredObject> list) =>
        ([.. list.Items], list.Metadata?.ResourceVersion ?? "0");
}
