using k8s;
using k8s.Models;

namespace FleetL4.KubernetesWatch;

/// <summary>One kind of object on a member's API server: a list, and a watch from a resourceVersion (with bookmarks).</summary>
public sealed class WatchSource<T>(
    string name,
    Func<CancellationToken, Task<(IReadOnlyList<T> Items, string ResourceVersion)>> list,
    Func<string, int, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, T Object)>> watch)
    where T : IKubernetesObject<V1ObjectMeta>
{
    public string Name { get; } = name;

    public Task<(IReadOnlyList<T> Items, string ResourceVersion)> ListAsync(CancellationToken ct) => list(ct);

    public IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken ct) =>
        watch(resourceVersion, timeoutSeconds, onError, ct);
}
