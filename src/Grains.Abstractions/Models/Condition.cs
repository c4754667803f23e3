namespace FleetL4.Models;

/// <summary>A Kubernetes-style status condition (type/status/reason), as users of Fleet grep for them.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.Condition")]
public sealed record Condition(
    string Type,
    string Status,
    string Reason,
    string Message,
    long ObservedGeneration,
    DateTimeOffset LastTransitionTime);
