namespace FleetL4.FakeArm;

public enum ArmViolationKind
{
    /// <summary>A write on a resource while an earlier write's operation on it was still InProgress (NRP cancels the earlier one).</summary>
    OverlappingWrite,

    /// <summary>A request before the Retry-After this server gave for its scope had passed.</summary>
    RequestBeforeRetryAfter,
}

/// <summary>Something a well-behaved ARM client never does; tests assert there are none.</summary>
public sealed record ArmViolation(DateTimeOffset Time, ArmViolationKind Kind, string Text)
{
    public override string ToString() => $"{Time:HH:mm:ss.fff} {Kind}: {Text}";
}
