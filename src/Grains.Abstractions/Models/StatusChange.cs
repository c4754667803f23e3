namespace FleetL4.Models;

/// <summary>The status of one of a cluster's objects changed (its kind and name; read it for the new state).</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.StatusChange")]
public sealed record StatusChange(StatusKind Kind, NamespacedName Object);

[GenerateSerializer, Alias("fleetl4.StatusKind")]
public enum StatusKind
{
    ServiceExport,
    MultiClusterService,
    /// <summary>The hub lost the latest report of this export (written behind when its silo died): send it again.</summary>
    ResendServiceExport,
    /// <summary>What placements put on this cluster changed: read it and apply it (the object's name is unused).</summary>
    Work,
}
