namespace FleetL4.Runtime;

/// <summary>
/// The clock of FleetL4's grains. Orleans' grain timers read the TimeProvider registered under this key (falling back
/// to the silo's), so grains that take their clock from it decide (leases, coalescing windows) on the same time
/// their timers fire on: a test that registers a fake clock here moves both together, and leaves Orleans' own
/// membership and messaging timers on real time.
/// </summary>
public static class GrainClock
{
    public const string Key = "Orleans.Grains";
}
