namespace FleetL4.Models;

/// <summary>One load-balanced endpoint: a pod address in a member cluster.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.Backend")]
public sealed record Backend(string Cluster, string Address);
