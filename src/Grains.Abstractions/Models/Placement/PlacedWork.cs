namespace FleetL4.Models;

/// <summary>What one placement puts on one cluster: every object of its revision (server fields stripped, labelled
/// with <see cref="PlacementApi.ParentLabel"/>). The member applies them all and reports per object.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.PlacedWork")]
public sealed record PlacedWork(string Placement, long Revision, IReadOnlyList<ManifestObject> Objects);
