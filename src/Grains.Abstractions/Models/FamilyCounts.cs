namespace FleetL4.Models;

/// <summary>How many endpoints of each address family: a dual-stack pod counts once in each, never twice in one.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.FamilyCounts")]
public readonly record struct FamilyCounts([property: Id(0)] int IPv4, [property: Id(1)] int IPv6)
{
    /// <summary>"3", or "3 IPv4, 3 IPv6" when both families are present (as kubectl shows dual-stack counts).</summary>
    public override string ToString() => IPv6 == 0 ? $"{IPv4}" : IPv4 == 0 ? $"{IPv6} IPv6" : $"{IPv4} IPv4, {IPv6} IPv6";
}
