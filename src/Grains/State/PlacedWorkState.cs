using FleetL4.Models;

namespace FleetL4.State;

/// <summary>What placements put on one cluster, and the objects it must still remove.</summary>
[GenerateSerializer, Alias("fleetl4.PlacedWorkState")]
public sealed class PlacedWorkState
{
    [Id(0)] public Dictionary<string, PlacedWork> Works { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public HashSet<ResourceId> Remove { get; set; } = [];
}
