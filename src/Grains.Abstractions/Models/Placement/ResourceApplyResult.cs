namespace FleetL4.Models;

/// <summary>What applying one placed object on a member did: applied, or failed with the API server's message.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.ResourceApplyResult")]
public sealed record ResourceApplyResult(ResourceId Resource, bool Applied, string? Message = null);
