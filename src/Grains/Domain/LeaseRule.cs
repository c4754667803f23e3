namespace FleetL4.Domain;

/// <summary>A member cluster's lease: it lives while heartbeats arrive, and lapses after N missed ones.</summary>
public static class LeaseRule
{
    public static TimeSpan Duration(TimeSpan heartbeatInterval, int missedHeartbeats) => heartbeatInterval * missedHeartbeats;

    public static bool IsLive(DateTimeOffset lastHeartbeat, DateTimeOffset now, TimeSpan heartbeatInterval, int missedHeartbeats) =>
        now - lastHeartbeat <= Duration(heartbeatInterval, missedHeartbeats);
}
