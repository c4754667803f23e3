using FleetL4.Domain;

namespace FleetL4.HubKubernetes;

/// <summary>
/// Which of the hub cluster's objects the hub takes: placements always; Namespaces and their contents in
/// Hub:Kubernetes:Namespaces (all when empty) except the namespaces no placement may select
/// (<see cref="ReservedNamespaces"/>), and never the kube-root-ca.crt ConfigMap that every namespace gets (placed on a member,
/// it would replace that cluster's own CA bundle; Fleet skips it too).
/// </summary>
public sealed class WatchScope(IReadOnlyList<string> namespaces)
{
    private const string RootCaConfigMap = "kube-root-ca.crt";

    /// <summary>The namespaces to watch namespaced kinds in; null: all of them at once.</summary>
    public IReadOnlyList<string>? Namespaces { get; } = namespaces.Count == 0 ? null : namespaces;

    public bool Takes(HubKind kind, string? ns, string name)
    {
        if (kind == HubKinds.Placements) return true;
        var scope = kind == HubKinds.Namespaces ? name : ns;
        if (scope is null || ReservedNamespaces.IsReserved(scope) || (Namespaces is not null && !Namespaces.Contains(scope))) return false;
        return !(kind.Kind == "ConfigMap" && name == RootCaConfigMap);
    }
}
