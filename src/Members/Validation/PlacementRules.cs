using System.Text.Json.Nodes;
using FleetL4.Domain;
using FleetL4.Models;

namespace FleetL4.Members.Validation;

/// <summary>
/// A ClusterResourcePlacement checked as Fleet's CRD and webhook check it, and read into the spec the hub acts on.
/// A refusal is a <see cref="FleetValidationException"/> naming the field's JSON path; a value of the wrong type
/// is refused, never read as absent.
/// </summary>
public static class PlacementRules
{
    // Fleet's CRD limits.
    public const int MaxResourceSelectors = 100;
    public const int MaxClusterNames = 100;
    public const int MaxClusterSelectorTerms = 10;

    private static readonly string[] PlacementTypes = [PlacementApi.PickAll, PlacementApi.PickN, PlacementApi.PickFixed];

    private const string TermsPath = "spec.policy.affinity.clusterAffinity.requiredDuringSchedulingIgnoredDuringExecution";

    /// <summary>
    /// Well-known namespaced kinds by group. Fleet refuses every namespaced kind (it asks the API server's
    /// discovery); we have no discovery, so an unknown kind is taken as cluster-scoped. Selecting one of these is
    /// the common mistake of meaning its Namespace.
    /// </summary>
    private static readonly (string Group, string Kind)[] NamespacedKinds =
    [
        ("", "Pod"), ("", FleetApi.Service), ("", "ConfigMap"), ("", "Secret"), ("", "ServiceAccount"), ("", "Endpoints"),
        ("", "PersistentVolumeClaim"), ("", "ResourceQuota"), ("", "LimitRange"), ("", "ReplicationController"),
        ("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "DaemonSet"), ("apps", "ReplicaSet"),
        ("batch", "Job"), ("batch", "CronJob"), ("autoscaling", "HorizontalPodAutoscaler"), ("policy", "PodDisruptionBudget"),
        (FleetApi.DiscoveryGroup, FleetApi.EndpointSlice), ("networking.k8s.io", "Ingress"), ("networking.k8s.io", "NetworkPolicy"),
        ("rbac.authorization.k8s.io", "Role"), ("rbac.authorization.k8s.io", "RoleBinding"),
        (FleetApi.NetworkingGroup, FleetApi.ServiceExport), (FleetApi.NetworkingGroup, FleetApi.ServiceImport),
        (FleetApi.NetworkingGroup, FleetApi.MultiClusterService),
    ];

    /// <summary>Checks a whole ClusterResourcePlacement (apiVersion, kind, metadata, spec) and returns its spec.</summary>
    public static PlacementSpec Parse(ManifestObject crp)
    {
        var root = JsonField.Root(crp.Json);
        var kind = JsonField.String(root, "kind", "kind");
        if (kind != PlacementApi.Kind)
            throw new FleetValidationException("kind", kind is null ? "is required" : $"{NameRules.Quote(kind)} is not {PlacementApi.Kind}");
        if (JsonField.String(root, "apiVersion", "apiVersion") is not { Length: > 0 } apiVersion)
            throw new FleetValidationException("apiVersion", $"is required ({PlacementApi.ApiVersion})");
        ServedApiVersions.Require(apiVersion, kind);
        var (name, ns) = MetadataRules.Validate(root, MemberObjectKind.ClusterResourcePlacement, kind);
        return Spec(root, name, ns);
    }

    /// <summary>What a placement adds to the metadata every object gets (<see cref="MetadataRules"/>), and its spec.</summary>
    internal static PlacementSpec Spec(JsonObject root, string name, string? ns)
    {
        if (ns is not null)
            throw new FleetValidationException("metadata.namespace", $"{PlacementApi.Kind} is cluster-scoped: remove namespace {NameRules.Quote(ns)}");
        // The name is the value of the parent label on everything placed, so it must fit a label value.
        if (name.Length > NameRules.MaxLabelLength)
            throw new FleetValidationException("metadata.name", $"{NameRules.Quote(name)} is {name.Length} characters long; at most {NameRules.MaxLabelLength} are allowed (it labels everything the placement places)");
        var spec = JsonField.Object(root, "spec", "spec") ?? throw new FleetValidationException("spec", "is required");
        return new PlacementSpec(name, Selectors(spec), Policy(spec));
    }

    private static List<ResourceSelector> Selectors(JsonObject spec)
    {
        const string path = "spec.resourceSelectors";
        var items = JsonField.Array(spec, "resourceSelectors", path) ?? throw new FleetValidationException(path, "is required");
        RequireCount(path, items.Count, MaxResourceSelectors);
        var selectors = new List<ResourceSelector>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var at = $"{path}[{i}]";
            selectors.Add(Selector(JsonField.ObjectItem(items[i], at), at));
        }
        return selectors;
    }

    private static ResourceSelector Selector(JsonObject item, string path)
    {
        var group = JsonField.String(item, "group", $"{path}.group") ?? throw new FleetValidationException($"{path}.group", "is required (\"\" for the core group)");
        if (group.Length > 0) NameRules.RequireDns1123Subdomain($"{path}.group", group);
        var version = JsonField.String(item, "version", $"{path}.version");
        NameRules.RequireDns1035Label($"{path}.version", version);
        var kind = JsonField.String(item, "kind", $"{path}.kind");
        RequireKind($"{path}.kind", kind);
        var name = JsonField.String(item, "name", $"{path}.name") is { Length: > 0 } n ? n : null;
        var labels = JsonField.Object(item, "labelSelector", $"{path}.labelSelector") is { } s ? LabelSelectorRules.Parse(s, $"{path}.labelSelector") : null;
        if (name is not null && labels is not null)
            throw new FleetValidationException(path, "name and labelSelector are mutually exclusive: select one object by name, or objects by label");
        if (NamespacedKinds.Contains((group, kind!)))
            throw new FleetValidationException($"{path}.kind", $"{kind} is namespaced: a ClusterResourcePlacement selects cluster-scoped resources; select the Namespace to place everything in it");
        if (group.Length == 0 && kind == FleetApi.Namespace)
            RequireNamespace(path, version!, name);
        else if (name is not null)
            NameRules.RequirePathSegment($"{path}.name", name); // the loosest Kubernetes name rule (RBAC's)
        return new ResourceSelector(group, version!, kind!, name, labels);
    }

    private static void RequireNamespace(string path, string version, string? name)
    {
        if (version != FleetApi.CoreV1)
            throw new FleetValidationException($"{path}.version", $"{NameRules.Quote(version)} is not served for Namespace; served: {FleetApi.CoreV1}");
        if (name is null) return;
        NameRules.RequireDns1123Label($"{path}.name", name);
        if (ReservedNamespaces.IsReserved(name))
            throw new FleetValidationException($"{path}.name", $"namespace {NameRules.Quote(name)} is reserved: a placement cannot select {ReservedNamespaces.Described}");
    }

    // A kind is a CamelCase identifier (Kubernetes kinds are Go type names).
    private static void RequireKind(string field, string? kind)
    {
        if (string.IsNullOrEmpty(kind)) throw new FleetValidationException(field, "is required");
        if (kind.Length > NameRules.MaxLabelLength || !char.IsAsciiLetter(kind[0]) || !kind.All(char.IsAsciiLetterOrDigit))
            throw new FleetValidationException(field, $"{NameRules.Quote(kind)} is not a kind (1-{NameRules.MaxLabelLength} ASCII letters and digits, starting with a letter)");
    }

    private static PlacementPolicy Policy(JsonObject spec)
    {
        if (JsonField.Object(spec, "policy", "spec.policy") is not { } policy) return PlacementPolicy.Default;
        var type = JsonField.String(policy, "placementType", "spec.policy.placementType") ?? PlacementApi.PickAll;
        if (!PlacementTypes.Contains(type))
            throw new FleetValidationException("spec.policy.placementType", $"{NameRules.Quote(type)} is not one of {string.Join(", ", PlacementTypes)}");
        return new PlacementPolicy(type, ClusterNames(policy, type), NumberOfClusters(policy, type), Terms(policy, type));
    }

    private static List<string> ClusterNames(JsonObject policy, string type)
    {
        const string path = "spec.policy.clusterNames";
        var items = JsonField.Array(policy, "clusterNames", path);
        if (type != PlacementApi.PickFixed)
            return items is null or [] ? [] : throw new FleetValidationException(path, $"is only for placementType {PlacementApi.PickFixed}, not {type}");
        if (items is null) throw new FleetValidationException(path, $"is required for placementType {PlacementApi.PickFixed}");
        RequireCount(path, items.Count, MaxClusterNames);
        var names = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var at = $"{path}[{i}]";
            var name = JsonField.StringItem(items[i], at);
            NameRules.RequireDns1123Label(at, name);
            if (names.Contains(name)) throw new FleetValidationException(at, $"{NameRules.Quote(name)} is named twice");
            names.Add(name);
        }
        return names;
    }

    private static int? NumberOfClusters(JsonObject policy, string type)
    {
        const string path = "spec.policy.numberOfClusters";
        var count = JsonField.Integer(policy, "numberOfClusters", path);
        if (type != PlacementApi.PickN)
            return count is null ? null : throw new FleetValidationException(path, $"is only for placementType {PlacementApi.PickN}, not {type}");
        if (count is null) throw new FleetValidationException(path, $"is required for placementType {PlacementApi.PickN}");
        if (count is < 0 or > int.MaxValue) throw new FleetValidationException(path, $"{count} is not a number of clusters (0 or more, an int32)");
        return (int)count;
    }

    private static List<LabelSelector> Terms(JsonObject policy, string type)
    {
        const string affinityPath = "spec.policy.affinity";
        if (JsonField.Object(policy, "affinity", affinityPath) is not { } affinity) return [];
        // As Fleet: a fixed list of clusters is not filtered.
        if (type == PlacementApi.PickFixed)
            throw new FleetValidationException(affinityPath, $"is not taken with placementType {PlacementApi.PickFixed}: it places on exactly clusterNames");
        if (JsonField.Object(affinity, "clusterAffinity", $"{affinityPath}.clusterAffinity") is not { } clusterAffinity) return [];
        if (JsonField.Object(clusterAffinity, "requiredDuringSchedulingIgnoredDuringExecution", TermsPath) is not { } required) return [];
        const string path = TermsPath + ".clusterSelectorTerms";
        // Required and not empty: an empty list would read as "every cluster" here and "no cluster" in Kubernetes' node affinity.
        var items = JsonField.Array(required, "clusterSelectorTerms", path) ?? throw new FleetValidationException(path, "is required");
        RequireCount(path, items.Count, MaxClusterSelectorTerms);
        var terms = new List<LabelSelector>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var at = $"{path}[{i}]";
            var term = JsonField.ObjectItem(items[i], at);
            var selector = JsonField.Object(term, "labelSelector", $"{at}.labelSelector") ?? throw new FleetValidationException($"{at}.labelSelector", "is required");
            terms.Add(LabelSelectorRules.Parse(selector, $"{at}.labelSelector"));
        }
        return terms;
    }

    private static void RequireCount(string path, int count, int max)
    {
        if (count == 0) throw new FleetValidationException(path, $"needs at least 1 entry (at most {max})");
        if (count > max) throw new FleetValidationException(path, $"has {count} entries; at most {max} are allowed");
    }
}
