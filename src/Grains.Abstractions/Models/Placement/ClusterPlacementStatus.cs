namespace FleetL4.Models;

/// <summary>A placement on one cluster: selected, and whether its resources of the current revision are applied
/// there (Status True/False/Unknown with a reason of <see cref="PlacementApi"/>), with the objects that failed.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.ClusterPlacementStatus")]
public sealed record ClusterPlacementStatus(
    string Cluster,
    string AppliedStatus,
    string Reason,
    string Message,
    long AppliedRevision,
    IReadOnlyList<ResourceApplyResult> Failed);
