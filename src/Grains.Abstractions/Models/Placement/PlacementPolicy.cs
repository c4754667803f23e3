namespace FleetL4.Models;

/// <summary>spec.policy of a placement: PickAll (default), PickN (NumberOfClusters) or PickFixed (ClusterNames), and
/// the required cluster affinity (terms ORed; none: every cluster).</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.PlacementPolicy")]
public sealed record PlacementPolicy(
    string PlacementType,
    IReadOnlyList<string> ClusterNames,
    int? NumberOfClusters,
    IReadOnlyList<LabelSelector> ClusterSelectorTerms)
{
    public static readonly PlacementPolicy Default = new(PlacementApi.PickAll, [], null, []);
}
