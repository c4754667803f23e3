namespace FleetL4.Models;

/// <summary>The ServiceImport's spec as decided by the oldest export: type, ports, session affinity, clusters.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.ImportInfo")]
public sealed record ImportInfo(
    string Type,
    IReadOnlyList<ServicePort> Ports,
    string SessionAffinity,
    IReadOnlyList<string> Clusters)
{
    public static readonly ImportInfo Empty = new("ClusterSetIP", [], "None", []);
}
