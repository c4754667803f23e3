using FleetL4.Domain;
using FleetL4.Members.Validation;
using FleetL4.Models;

namespace FleetL4.Members;

/// <summary>Which <see cref="MemberObjectKind"/> an apiVersion and kind are, and how objects are named in messages.</summary>
public static class MemberObjectKinds
{
    public static MemberObjectKind Classify(string apiVersion, string kind) => ServedApiVersions.Classify(apiVersion, kind);

    public static MemberObjectKind Classify(ManifestObject o) => Classify(o.ApiVersion, o.Kind);

    /// <summary>Cluster-scoped kinds carry no namespace; everything else defaults to "default", as kubectl does.</summary>
    public static bool IsClusterScoped(ManifestObject o) =>
        Classify(o) == MemberObjectKind.Namespace || o.Kind is "ClusterResourcePlacement" or "CustomResourceDefinition" or "ClusterRole" or "ClusterRoleBinding";

    /// <summary>A checked object (<see cref="ManifestValidation"/>) with its namespace as an API server stores it: none for a
    /// cluster-scoped kind, "default" when a namespaced one names none, as kubectl does.</summary>
    public static ManifestObject Defaulted(ManifestObject o)
    {
        ManifestValidation.Validate(o);
        return o with { Namespace = IsClusterScoped(o) ? null : string.IsNullOrEmpty(o.Namespace) ? "default" : o.Namespace };
    }

    /// <summary>"Kind namespace/name" for messages; hostile names come quoted, so a newline cannot break the output.</summary>
    public static string Describe(ManifestObject o) =>
        $"{NameRules.Display(o.Kind)} {(o.Namespace is null ? "" : NameRules.Display(o.Namespace) + "/")}{NameRules.Display(o.Name)}";
}
