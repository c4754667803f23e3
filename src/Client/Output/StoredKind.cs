using FleetL4.Models;

namespace FleetL4.Client.Output;

/// <summary>
/// A KIND word of `fleetl4 get` that names stored objects (the hub's own, or a virtual member's): kubectl's names of
/// common kinds (<c>ns</c>, <c>deploy</c>, <c>svc</c>, ...), or any other word matched against the stored objects'
/// kinds, lower case, singular or plural (<c>clusterroles</c>), either optionally with its group (<c>deployments.apps</c>).
/// </summary>
public sealed class StoredKind
{
    private sealed record Known(string Kind, string Group, bool ClusterScoped, params string[] ShortNames);

    // kubectl's short names; a known kind lists as empty ("No resources found") where an unknown word is an error.
    private static readonly Known[] KnownKinds =
    [
        new(FleetApi.Namespace, "", true, "ns"), new(FleetApi.Service, "", false, "svc"), new("ConfigMap", "", false, "cm"),
        new("Secret", "", false), new("ServiceAccount", "", false, "sa"), new(FleetApi.EndpointSlice, FleetApi.DiscoveryGroup, false),
        new("Deployment", "apps", false, "deploy"), new("StatefulSet", "apps", false, "sts"), new("DaemonSet", "apps", false, "ds"),
        new("Job", "batch", false), new("CronJob", "batch", false, "cj"), new("Ingress", "networking.k8s.io", false, "ing"),
        new("ClusterRole", "rbac.authorization.k8s.io", true), new("ClusterRoleBinding", "rbac.authorization.k8s.io", true),
        new("CustomResourceDefinition", "apiextensions.k8s.io", true, "crd"),
    ];

    private readonly string _resource;
    private readonly string? _group;
    private readonly Known? _known;

    private StoredKind(string word, string resource, string? group, Known? known) => (Word, _resource, _group, _known) = (word, resource, group, known);

    /// <summary>The word as typed, for messages.</summary>
    public string Word { get; }

    /// <summary>A kind kubectl has a name for: when nothing is stored, it lists as empty rather than unknown.</summary>
    public bool IsKnown => _known is not null;

    public static StoredKind Parse(string word)
    {
        var dot = word.IndexOf('.');
        var resource = (dot < 0 ? word : word[..dot]).ToLowerInvariant();
        var group = dot < 0 ? null : word[(dot + 1)..].ToLowerInvariant();
        var known = KnownKinds.FirstOrDefault(k => (group is null || group == k.Group) && (Names(k.Kind).Contains(resource) || k.ShortNames.Contains(resource)));
        return new StoredKind(word, resource, group ?? known?.Group, known);
    }

    public bool Matches(ManifestObject o) =>
        (_group is null || FleetApi.GroupOf(o.ApiVersion) == _group)
        && (_known is not null ? o.Kind == _known.Kind : Names(o.Kind).Contains(_resource));

    /// <summary>Whether the kind has no namespace: known, or seen on the stored objects of the kind.</summary>
    public bool ClusterScoped(IReadOnlyList<ManifestObject> ofKind) =>
        _known?.ClusterScoped ?? (ofKind.Count > 0 && ofKind.All(o => string.IsNullOrEmpty(o.Namespace)));

    /// <summary>The resource as kubectl names it in errors: plural.group (<c>deployments.apps</c>, <c>namespaces</c>).</summary>
    public string Resource(IReadOnlyList<ManifestObject> ofKind)
    {
        var (kind, group) = _known is not null ? (_known.Kind, _known.Group)
            : ofKind.Count > 0 ? (ofKind[0].Kind, FleetApi.GroupOf(ofKind[0].ApiVersion)) : (null, "");
        return kind is null ? Word : Plural(kind) + (group.Length == 0 ? "" : "." + group);
    }

    private static string[] Names(string kind) => [kind.ToLowerInvariant(), Plural(kind)];

    /// <summary>The lower-case plural as the API server's resource names are formed (Ingress: ingresses, NetworkPolicy: networkpolicies).</summary>
    public static string Plural(string kind)
    {
        var lower = kind.ToLowerInvariant();
        if (lower.EndsWith('s') || lower.EndsWith('x') || lower.EndsWith('z') || lower.EndsWith("ch", StringComparison.Ordinal) || lower.EndsWith("sh", StringComparison.Ordinal))
            return lower + "es";
        if (lower.Length > 1 && lower.EndsWith('y') && !"aeiou".Contains(lower[^2])) return lower[..^1] + "ies";
        return lower + "s";
    }
}
