using System.Text.Json;
using System.Text.Json.Nodes;
using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>
/// Which hub objects a placement's resource selectors select: a selector takes the objects of its group, version
/// and kind with its name, or matching its label selector, or all of them when it has neither.
/// </summary>
public static class ResourceSelection
{
    /// <summary>The names (ordinal) of the v1 Namespaces selected; never a reserved one (default, kube-*, fleet-*),
    /// not even by a label selector or a select-all, since placing it would overwrite what every member runs.</summary>
    public static IReadOnlyList<string> Namespaces(IReadOnlyList<ResourceSelector> selectors, IReadOnlyList<ManifestObject> namespaceObjects)
    {
        var namespaceSelectors = selectors.Where(s => s is { Group: FleetApi.CoreGroup, Version: FleetApi.V1, Kind: FleetApi.Namespace }).ToList();
        return namespaceObjects
            .Where(o => IsNamespace(o) && !ReservedNamespaces.IsReserved(o.Name) && namespaceSelectors.Any(s => Selects(s, o)))
            .Select(o => o.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The cluster-scoped objects other than Namespaces selected, ordinal by apiVersion, kind and name.</summary>
    public static IReadOnlyList<ManifestObject> ClusterScoped(IReadOnlyList<ResourceSelector> selectors, IReadOnlyList<ManifestObject> clusterScopedObjects) =>
        clusterScopedObjects
            .Where(o => !IsNamespace(o) && selectors.Any(s => IsOfKind(s, ResourceId.Of(o)) && Selects(s, o)))
            .OrderBy(o => o.ApiVersion, StringComparer.Ordinal).ThenBy(o => o.Kind, StringComparer.Ordinal).ThenBy(o => o.Name, StringComparer.Ordinal)
            .ToList();

    private static bool IsNamespace(ManifestObject o) => o.ApiVersion == FleetApi.CoreV1 && o.Kind == FleetApi.Namespace;

    private static bool IsOfKind(ResourceSelector s, ResourceId id) => s.Group == id.Group && s.Version == id.Version && s.Kind == id.Kind;

    private static bool Selects(ResourceSelector s, ManifestObject o) =>
        s.Name is not null ? s.Name == o.Name : s.LabelSelector is null || LabelSelectorRule.Matches(s.LabelSelector, Labels(o));

    private static Dictionary<string, string> Labels(ManifestObject o)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (JsonNode.Parse(o.Json)?["metadata"]?["labels"] is JsonObject map)
            foreach (var (key, value) in map)
                if (value?.GetValueKind() == JsonValueKind.String) labels[key] = value.GetValue<string>();
        return labels;
    }
}
