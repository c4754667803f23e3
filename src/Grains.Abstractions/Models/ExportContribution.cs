namespace FleetL4.Models;

/// <summary>
/// What one valid ServiceExport contributes to its ServiceImport. Invalid and weight-0 exports contribute
/// nothing: they are withdrawn from the import, as Fleet deletes their internal export.
/// </summary>
/// <param name="Backends">Addresses of endpoints that should take traffic (ready, or serving while terminating).</param>
/// <param name="ClusterLive">The cluster's lease is live.</param>
[GenerateSerializer, Immutable, Alias("fleetl4.ExportContribution")]
public sealed record ExportContribution(
    string Cluster,
    DateTimeOffset CreationTimestamp,
    ExportedService Service,
    IReadOnlyList<string> Backends,
    bool ClusterLive);
