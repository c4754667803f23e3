namespace FleetL4.Models;

/// <summary>One Kubernetes object by group, version, kind, namespace (null: cluster-scoped) and name.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.ResourceId")]
public sealed record ResourceId(string Group, string Version, string Kind, string? Namespace, string Name)
{
    public string ApiVersion => FleetApi.ApiVersion(Group, Version);

    public static ResourceId Of(ManifestObject o) => new(FleetApi.GroupOf(o.ApiVersion), FleetApi.VersionOf(o.ApiVersion), o.Kind,
        string.IsNullOrEmpty(o.Namespace) ? null : o.Namespace, o.Name);

    /// <summary>"Kind namespace/name" (or "Kind name"), as messages name an object.</summary>
    public override string ToString() => $"{Kind} {(Namespace is null ? "" : Namespace + "/")}{Name}";
}
