namespace FleetL4.Models;

/// <summary>The parts of a member cluster's Service that matter for export.</summary>
/// <param name="Type">ClusterIP, NodePort, LoadBalancer or ExternalName.</param>
/// <param name="ClusterIP">"None" for a headless Service.</param>
/// <param name="SessionAffinity">None or ClientIP.</param>
[GenerateSerializer, Immutable, Alias("fleetl4.ExportedService")]
public sealed record ExportedService(
    string Type,
    string? ClusterIP,
    IReadOnlyList<ServicePort> Ports,
    string SessionAffinity = "None");
