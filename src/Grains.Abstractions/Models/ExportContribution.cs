namespace FleetL4.Models;

/// <summary>
/// What one valid ServiceExport contributes to its ServiceImport. Invalid exports contribute nothing (they are
/// withdrawn instead).
/// </summary>
/// <param name="Backends">Addresses of endpoints that should take traffic (ready, or serving while terminating).</param>
/// <param name="Drained">Weight 0: the export is valid but sends no endpoints.</param>
/// <param name="ClusterLive">The cluster's lease is live.</param>
[GenerateSerializer, Immutable, Alias("fleetl4.ExportContribution")]
public sealed record ExportContribution(
    string Cluster,
    DateTimeOffset CreationTimestamp,
    ExportedService Service,
    IReadOnlyList<string> Backends,
    bool Drained,
    bool ClusterLive);
