namespace FleetL4.Models;

/// <summary>One spec.resourceSelectors entry of a placement: a kind, and a name or a label selector (neither: every object of the kind).</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.ResourceSelector")]
public sealed record ResourceSelector(string Group, string Version, string Kind, string? Name, LabelSelector? LabelSelector);
