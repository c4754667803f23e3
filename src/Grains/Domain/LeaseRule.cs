namespace FleetL4.Domain;

/// <summary>A member cluster's lease: it lives while heartbeats arrive, and lapses after N missed ones.</summary>
public static class LeaseRule
{
    public static TimeSpan Duration(TimeSpan heartbeatInterval, int missedHeartbeats) => heartbeatInterval * missedHeartbeats;

    /// <summary>How long the lease has left (negative once it lapsed).</summary>
    public static TimeSpan Remaining(DateTimeOffset lastHeartbeat, DateTimeOffset now, TimeSpan heartbeatInterval, int missedHeartbeats) =>
        lastHeartbeat + Duration(heartbeatInterval, missedHeartbeats) - now;

    public static bool IsLive(DateTimeOffset lastHeartbeat, DateTimeOffset now, TimeSpan heartbeatInterval, int missedHeartbeats) =>
        Remaining(lastHeartbeat, now, heartbeatInterval, missedHeartbeats) >= TimeSpan.Zero;
}
