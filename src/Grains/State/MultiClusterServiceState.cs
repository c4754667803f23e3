using FleetL4.Models;

namespace FleetL4.State;

/// <summary>An MCS's persisted state; above all its frontend IP, which must outlive silos and hub restarts.</summary>
[GenerateSerializer, Alias("fleetl4.MultiClusterServiceState")]
public sealed class MultiClusterServiceState
{
    [Id(0)] public MultiClusterServiceSpec? Spec { get; set; }
    [Id(1)] public bool Internal { get; set; }
    [Id(2)] public string? FrontendIp { get; set; }
    [Id(3)] public DateTimeOffset CreationTimestamp { get; set; }
    [Id(4)] public List<Condition> Conditions { get; set; } = [];
    /// <summary>Set while the provider has not confirmed the deletion; the reminder retries it.</summary>
    [Id(5)] public bool Deleting { get; set; }
}
