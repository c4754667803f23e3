namespace FleetL4.Models;

/// <summary>
/// What a ServiceImport pushes to its MultiClusterServices: either a full snapshot, or a delta on top of
/// <see cref="BaseVersion"/>. A receiver whose version is not the base asks for a snapshot instead.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleetl4.ImportUpdate")]
public sealed record ImportUpdate(
    long Version,
    long BaseVersion,
    bool IsSnapshot,
    ImportInfo Info,
    IReadOnlyList<Backend> Added,
    IReadOnlyList<Backend> Removed,
    bool InfoChanged = true);
