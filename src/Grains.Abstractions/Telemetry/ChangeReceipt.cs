namespace FleetL4.Telemetry;

/// <summary>
/// When the hub received the change a grain call carries, for <see cref="FleetMetrics.Propagation"/>. The hub API
/// stamps it in the Orleans request context, which follows the call down member -> export -> import (one-way
/// messages too) -> MCS. Wall-clock ticks, so that silos can compare them (as far as their clocks agree).
/// </summary>
public static class ChangeReceipt
{
    private const string Key = "fleetl4-received";

    /// <summary>Stamps now on the calls made from this async flow (a hub API call that changes objects).</summary>
    public static void Stamp() => RequestContext.Set(Key, TimeProvider.System.GetUtcNow().UtcTicks);

    /// <summary>The stamp of the call being handled; null when it did not come from the hub API (a reminder, a timer).</summary>
    public static DateTimeOffset? Current => RequestContext.Get(Key) is long ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
}
