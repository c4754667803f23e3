namespace FleetL4.Domain;

/// <summary>The clusters a placement is scheduled on (ordinal by name), whether its policy is fulfilled, and why, for the Scheduled condition.</summary>
public sealed record ScheduleDecision(IReadOnlyList<string> Clusters, bool Fulfilled, string Message);
