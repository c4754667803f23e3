namespace FleetL4.LoadBalancing.Azure.Budget;

/// <summary>
/// What the write budget keeps across silo loss: a park ARM asked for, and when the last activation started and
/// ended, so a new one knows whether it may start with a full burst (<see cref="WriteBudget.StartsEmpty"/>).
/// Tokens are not kept: that would be a write per ARM write.
/// </summary>
[GenerateSerializer, Alias("fleetl4.azure.ArmWriteBudgetState")]
public sealed class ArmWriteBudgetState
{
    [Id(0)] public DateTimeOffset ParkedUntil { get; set; }

    [Id(1)] public DateTimeOffset? ActivatedAt { get; set; }

    /// <summary>Set when an activation ends cleanly; cleared when the next one starts.</summary>
    [Id(2)] public DateTimeOffset? EndedAt { get; set; }
}
