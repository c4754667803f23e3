namespace FleetL4.Models;

/// <summary>
/// A ClusterResourcePlacement as the hub holds it: the object as applied (<see cref="Json"/>, without status),
/// its generation, its conditions (Scheduled, Applied, each with its observedGeneration), the resources it selects
/// (of <see cref="Revision"/>) and its status per selected cluster.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleetl4.PlacementView")]
public sealed record PlacementView(
    string Name,
    bool Exists,
    string? Json,
    long Generation,
    DateTimeOffset CreationTimestamp,
    IReadOnlyList<Condition> Conditions,
    IReadOnlyList<ResourceId> SelectedResources,
    IReadOnlyList<ClusterPlacementStatus> Clusters,
    long Revision);
