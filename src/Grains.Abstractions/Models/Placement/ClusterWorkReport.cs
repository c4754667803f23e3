namespace FleetL4.Models;

/// <summary>A member's report on everything placed on it: one report per placement, and the objects it removed.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.ClusterWorkReport")]
public sealed record ClusterWorkReport(IReadOnlyList<WorkReport> Placements, IReadOnlyList<ResourceId> Removed);
