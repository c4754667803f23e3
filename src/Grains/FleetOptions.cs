namespace FleetL4;

/// <summary>Hub settings, bound from the "FleetL4" configuration section.</summary>
public sealed class FleetOptions
{
    public const string Section = "FleetL4";

    /// <summary>How often members are expected to heartbeat.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Missed heartbeats after which a cluster's lease expires and its endpoints are withdrawn.</summary>
    public int MissedHeartbeats { get; set; } = 3;

    /// <summary>Changes to one MCS within this window go to the provider as one call.</summary>
    public TimeSpan CoalescingWindow { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>First retry delay after a failed provider call; doubles up to <see cref="ProviderRetryMax"/>.</summary>
    public TimeSpan ProviderRetryMin { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan ProviderRetryMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Period of the reminders that re-run unconverged work after a lost message or a silo loss.</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Endpoint-only changes are persisted at most this often (members resync endpoints anyway). Measured: at 5 s
    /// a busy fleet still wrote on nearly every update, and storage was 40% of the hub's CPU.
    /// </summary>
    public TimeSpan EndpointWriteBehind { get; set; } = TimeSpan.FromSeconds(30);
}
