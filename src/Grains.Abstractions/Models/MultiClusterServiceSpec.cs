namespace FleetL4.Models;

/// <summary>A MultiClusterService as applied on a member: spec.serviceImport.name and its annotations.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.MultiClusterServiceSpec")]
public sealed record MultiClusterServiceSpec(
    string Namespace,
    string Name,
    string ServiceImportName,
    IReadOnlyDictionary<string, string>? Annotations = null,
    long Generation = 1);
