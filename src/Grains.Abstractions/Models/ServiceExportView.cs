namespace FleetL4.Models;

/// <summary>A ServiceExport as the hub sees it: what was reported plus the Valid and Conflict conditions.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.ServiceExportView")]
public sealed record ServiceExportView(
    string Cluster,
    string Namespace,
    string Name,
    bool Exists,
    DateTimeOffset CreationTimestamp,
    ExportedService? Service,
    IReadOnlyList<EndpointInfo> Endpoints,
    int Weight,
    IReadOnlyList<Condition> Conditions);
