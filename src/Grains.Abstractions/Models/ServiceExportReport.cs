namespace FleetL4.Models;

/// <summary>
/// What a member reports for one ServiceExport: the export object itself, the Service it names (null when the
/// Service does not exist or is being deleted) and the Service's endpoints.
/// </summary>
/// <param name="CreationTimestamp">The ServiceExport's creation time as the member recorded it (conflict resolution).</param>
/// <param name="Generation">metadata.generation of the ServiceExport (observedGeneration on conditions).</param>
/// <param name="Revision">A per-object counter the reporter increases with every change; a report older than the
/// last one accepted is ignored (updates can arrive out of order after a reconnect). 0 = unordered.</param>
/// <param name="WeightAnnotation">Value of networking.fleet.azure.com/weight, null when absent.</param>
[GenerateSerializer, Immutable, Alias("fleetl4.ServiceExportReport")]
public sealed record ServiceExportReport(
    string Namespace,
    string Name,
    DateTimeOffset CreationTimestamp,
    ExportedService? Service,
    IReadOnlyList<EndpointInfo> Endpoints,
    long Generation = 1,
    long Revision = 0,
    string? WeightAnnotation = null);
