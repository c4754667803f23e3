namespace FleetL4.Models;

/// <summary>The import's decision about one export: conflicting or not, and why (naming field and winner).</summary>
/// <param name="Epoch">Increases with every decision of the import; a receiver ignores older verdicts.</param>
[GenerateSerializer, Immutable, Alias("fleetl4.ConflictVerdict")]
public sealed record ConflictVerdict(bool Conflict, string Message, long Epoch);
