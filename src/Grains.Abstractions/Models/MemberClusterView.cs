namespace FleetL4.Models;

/// <summary>A member cluster: its labels, lease and Joined/Healthy conditions, and what it exports and imports.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.MemberClusterView")]
public sealed record MemberClusterView(
    string Name,
    bool Joined,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset JoinedAt,
    DateTimeOffset? LastHeartbeat,
    bool LeaseLive,
    IReadOnlyList<Condition> Conditions,
    IReadOnlyList<NamespacedName> ServiceExports,
    IReadOnlyList<NamespacedName> MultiClusterServices,
    bool Virtual = false);
