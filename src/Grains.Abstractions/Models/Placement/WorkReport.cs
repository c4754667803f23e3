namespace FleetL4.Models;

/// <summary>A member's report on one placement's work: which revision it applied, each object's result, and the
/// objects it removed.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.WorkReport")]
public sealed record WorkReport(string Placement, long Revision, IReadOnlyList<ResourceApplyResult> Results);

