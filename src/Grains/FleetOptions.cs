namespace FleetL4;

/// <summary>Hub settings, bound from the "FleetL4" configuration section.</summary>
public sealed class FleetOptions
{
    public const string Section = "FleetL4";

    /// <summary>How often members are expected to heartbeat.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Missed heartbeats after which a cluster's lease expires and its endpoints are withdrawn.</summary>
    public int MissedHeartbeats { get; set; } = 3;

    /// <summary>
    /// After a provider call for one MCS, changes within this window go as one trailing call (the first change after a
    /// quiet period goes at once). Short, because it only merges one event's burst: changes during a slow call merge
    /// anyway (one call in flight), and the Azure provider paces its ARM writes per load balancer itself. Measured at
    /// 200 ms under 10,000 updates/s: p99 propagation 207 ms against 11 ms at 0 (BENCHMARKS.md, section 1).
    /// </summary>
    public TimeSpan CoalescingWindow { get; set; } = TimeSpan.FromMilliseconds(20);

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

    /// <summary>Limits on what one member may store in the hub (section "FleetL4:Quotas").</summary>
    public FleetQuotas Quotas { get; set; } = new();
}
