using System.Text;
using System.Text.Json.Nodes;
using FleetL4.Domain;
using FleetL4.Models;

namespace FleetL4.Members.Validation;

/// <summary>
/// metadata of every object a member stores, whatever its kind (Kubernetes requires a valid name for every
/// object): the name by the rule Kubernetes uses for that kind, the namespace a DNS-1123 label, labels and
/// annotations maps of strings with valid keys.
/// </summary>
internal static class MetadataRules
{
    /// <summary>Kubernetes' limit on all annotations of one object together (keys and values).</summary>
    public const int MaxAnnotationBytes = 256 * 1024;

    // RBAC objects are named by path segment ("system:controller:x"), as Kubernetes validates them.
    private static readonly string[] PathSegmentKinds = ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"];

    /// <returns>metadata.name and metadata.namespace (null when absent or empty).</returns>
    public static (string Name, string? Namespace) Validate(JsonObject root, MemberObjectKind member, string kind)
    {
        var meta = JsonField.Object(root, "metadata", "metadata") ?? throw new FleetValidationException("metadata", "is required");
        var name = JsonField.String(meta, "name", "metadata.name");
        RequireName(member, kind, name);
        var ns = JsonField.String(meta, "namespace", "metadata.namespace");
        if (!string.IsNullOrEmpty(ns)) NameRules.RequireDns1123Label("metadata.namespace", ns);
        if (JsonField.StringMap(meta, "labels", "metadata.labels") is { } labels) LabelRules.Validate(labels, "metadata.labels");
        if (JsonField.StringMap(meta, "annotations", "metadata.annotations") is { } annotations) RequireAnnotations(annotations);
        return (name!, string.IsNullOrEmpty(ns) ? null : ns);
    }

    /// <summary>Service: DNS-1035 label; Namespace and the Fleet kinds (whose names key exports and imports):
    /// DNS-1123 label; RBAC: path segment; every other kind, ClusterResourcePlacement too: DNS-1123 subdomain
    /// (<see cref="PlacementRules"/> adds its 63-character limit).</summary>
    private static void RequireName(MemberObjectKind member, string kind, string? name)
    {
        const string field = "metadata.name";
        switch (member)
        {
            case MemberObjectKind.Service: NameRules.RequireDns1035Label(field, name); break;
            case MemberObjectKind.Namespace or MemberObjectKind.ServiceExport or MemberObjectKind.MultiClusterService:
                NameRules.RequireDns1123Label(field, name);
                break;
            default:
                if (PathSegmentKinds.Contains(kind)) NameRules.RequirePathSegment(field, name);
                else NameRules.RequireDns1123Subdomain(field, name);
                break;
        }
    }

    private static void RequireAnnotations(IReadOnlyDictionary<string, string> annotations)
    {
        long bytes = 0;
        foreach (var (key, value) in annotations)
        {
            LabelRules.RequireKey($"metadata.annotations[{key}]", key);
            bytes += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value);
        }
        if (bytes > MaxAnnotationBytes)
            throw new FleetValidationException("metadata.annotations", $"{bytes} bytes in all; at most {MaxAnnotationBytes} (256 KiB) are allowed, as in Kubernetes");
    }
}
