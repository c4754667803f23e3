namespace FleetL4.Models;

/// <summary>Everything placed on one cluster, and the objects it must remove (placed before, no longer placed) until
/// it reports them removed.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.ClusterWork")]
public sealed record ClusterWork(string Cluster, IReadOnlyList<PlacedWork> Placements, IReadOnlyList<ResourceId> Remove);
