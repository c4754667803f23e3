using System.Text.Json.Nodes;
using FleetL4.Members.Resources;
using FleetL4.Models;
using k8s;
using k8s.Models;

namespace FleetL4.Members.Validation;

/// <summary>
/// The one check of a member object before it is stored or translated, for manifests (virtual clusters) and for
/// the objects the agent watches: the apiVersion is served for the kinds FleetL4 acts on, the metadata is valid
/// for every kind, and every field the translation reads has its type and a valid value. A refusal is a
/// <see cref="FleetValidationException"/> naming the field's path (and the document, for manifests).
/// </summary>
public static class ManifestValidation
{
    /// <summary>Checks a manifest object; throws naming the document, the object and the field.</summary>
    public static void Validate(ManifestObject o)
    {
        try
        {
            ServedApiVersions.Require(o.ApiVersion, o.Kind);
            var root = JsonField.Root(o.Json);
            RequireSame("apiVersion", JsonField.String(root, "apiVersion", "apiVersion"), o.ApiVersion);
            RequireSame("kind", JsonField.String(root, "kind", "kind"), o.Kind);
            var (name, ns) = Fields(root, MemberObjectKinds.Classify(o), o.Kind);
            // A client of the hub API sends name and namespace beside the JSON: they must say the same.
            RequireSame("metadata.name", name, o.Name);
            RequireSame("metadata.namespace", ns, string.IsNullOrEmpty(o.Namespace) ? null : o.Namespace);
        }
        catch (FleetValidationException ex)
        {
            throw ex.In($"document {o.Document} ({MemberObjectKinds.Describe(o)})");
        }
    }

    /// <summary>Checks an object the agent watched (its kind known from the watch); the refusal, or null when valid.</summary>
    public static FleetValidationException? Refusal(IKubernetesObject<V1ObjectMeta> o)
    {
        var (member, kind) = o switch
        {
            V1Service => (MemberObjectKind.Service, FleetApi.Service),
            V1EndpointSlice => (MemberObjectKind.EndpointSlice, FleetApi.EndpointSlice),
            ServiceExportResource => (MemberObjectKind.ServiceExport, FleetApi.ServiceExport),
            MultiClusterServiceResource => (MemberObjectKind.MultiClusterService, FleetApi.MultiClusterService),
            _ => (MemberObjectKind.Other, o.Kind ?? ""),
        };
        try
        {
            Fields(JsonField.Root(KubernetesJson.Serialize(o)), member, kind);
            return null;
        }
        catch (FleetValidationException ex)
        {
            return ex;
        }
    }

    private static (string Name, string? Namespace) Fields(JsonObject root, MemberObjectKind member, string kind)
    {
        var identity = MetadataRules.Validate(root, member, kind);
        switch (member)
        {
            case MemberObjectKind.Service: ServiceRules.Validate(root); break;
            case MemberObjectKind.EndpointSlice: EndpointSliceRules.Validate(root); break;
            case MemberObjectKind.MultiClusterService: MultiClusterServiceRules.Validate(root); break;
            case MemberObjectKind.ClusterResourcePlacement: PlacementRules.Spec(root, identity.Name, identity.Namespace); break;
        }
        return identity;
    }

    private static void RequireSame(string field, string? inJson, string? given)
    {
        if (!string.Equals(inJson, given, StringComparison.Ordinal))
            throw new FleetValidationException(field, $"{Show(inJson)} in the object does not match {Show(given)} sent with it");
    }

    private static string Show(string? value) => value is null ? "none" : Domain.NameRules.Quote(value);
}
