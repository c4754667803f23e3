using FleetL4.KubernetesWatch;
using k8s;
using k8s.Models;

namespace FleetL4.Agent;

/// <summary>
/// Whether a watch event changed nothing but an object's status (what the agent itself writes back): same
/// generation (the spec), labels, annotations (the weight annotation does not bump the generation) and deletion.
/// Such an event needs no report to the hub.
/// </summary>
public static class StatusOnlyChange
{
    public static bool Is<T>(WatchChange<T> change) where T : IKubernetesObject<V1ObjectMeta> =>
        change is { Old: { } old, New: { } @new } && Same(old.Metadata, @new.Metadata);

    private static bool Same(V1ObjectMeta a, V1ObjectMeta b) =>
        a.Generation == b.Generation && a.DeletionTimestamp == b.DeletionTimestamp && a.Uid == b.Uid
        && SameMap(a.Labels, b.Labels) && SameMap(a.Annotations, b.Annotations);

    private static bool SameMap(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a is null || a.All(kv => b!.TryGetValue(kv.Key, out var v) && v == kv.Value));
}
