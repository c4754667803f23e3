namespace FleetL4.Models;

/// <summary>A ServiceImport: its spec, and per exporting cluster whether it is in (and with how many backends).</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.ServiceImportView")]
public sealed record ServiceImportView(
    string Namespace,
    string Name,
    ImportInfo Info,
    IReadOnlyList<ImportClusterView> Exports,
    IReadOnlyList<ClusterNamespacedName> MultiClusterServices,
    int BackendCount,
    DateTimeOffset CreationTimestamp = default,
    FamilyCounts BackendsByFamily = default);

/// <summary>One export seen from its import. State: Active (in use), Conflict (not in use) or LeaseExpired.</summary>
/// <param name="ConflictMessage">The Conflict condition's message while the export takes part in a conflict (the winner too).</param>
[GenerateSerializer, Immutable, Alias("fleetl4.ImportClusterView")]
public sealed record ImportClusterView(string Cluster, string State, int Backends, string? ConflictMessage, FamilyCounts BackendsByFamily = default);
