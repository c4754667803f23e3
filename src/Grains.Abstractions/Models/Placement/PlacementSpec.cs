namespace FleetL4.Models;

/// <summary>A ClusterResourcePlacement's spec as the hub acts on it, with the generation it came with.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.PlacementSpec")]
public sealed record PlacementSpec(string Name, IReadOnlyList<ResourceSelector> ResourceSelectors, PlacementPolicy Policy);
