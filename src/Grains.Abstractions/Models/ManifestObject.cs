namespace FleetL4.Models;

/// <summary>
/// One Kubernetes object as applied to a member (YAML document turned into JSON). <see cref="Document"/> is its
/// position in the file it came from, so errors can name it.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleetl4.ManifestObject")]
public sealed record ManifestObject(
    string ApiVersion,
    string Kind,
    string? Namespace,
    string Name,
    string Json,
    int Document = 0);

/// <summary>What applying or deleting one object did: created, configured, unchanged, deleted, not found; and a warning.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.ManifestResult")]
public sealed record ManifestResult(string Kind, string? Namespace, string Name, string Action, string? Warning = null);
