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
    DateTimeOffset CreationTimestamp = default);

/// <summary>One export seen from its import. State: Active, Conflict, Drained or LeaseExpired.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.ImportClusterView")]
public sealed record ImportClusterView(string Cluster, string State, int Backends, string? ConflictMessage);
