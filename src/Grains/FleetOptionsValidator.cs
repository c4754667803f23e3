using Microsoft.Extensions.Options;

namespace FleetL4;

/// <summary>Checks section "FleetL4" at start, so a bad value stops the silo with the key's name.</summary>
public sealed class FleetOptionsValidator : IValidateOptions<FleetOptions>
{
    public ValidateOptionsResult Validate(string? name, FleetOptions o)
    {
        var failures = new List<string>();
        void Positive(string key, TimeSpan value)
        {
            if (value <= TimeSpan.Zero) failures.Add($"{FleetOptions.Section}:{key}: {value} must be greater than zero");
        }
        Positive(nameof(o.HeartbeatInterval), o.HeartbeatInterval);
        Positive(nameof(o.ProviderRetryMin), o.ProviderRetryMin);
        Positive(nameof(o.ProviderRetryMax), o.ProviderRetryMax);
        Positive(nameof(o.ReminderPeriod), o.ReminderPeriod);
        if (o.CoalescingWindow < TimeSpan.Zero) failures.Add($"{FleetOptions.Section}:{nameof(o.CoalescingWindow)}: {o.CoalescingWindow} must not be negative");
        if (o.EndpointWriteBehind < TimeSpan.Zero) failures.Add($"{FleetOptions.Section}:{nameof(o.EndpointWriteBehind)}: {o.EndpointWriteBehind} must not be negative");
        if (o.MissedHeartbeats < 1) failures.Add($"{FleetOptions.Section}:{nameof(o.MissedHeartbeats)}: {o.MissedHeartbeats} must be at least 1");
        if (o.ProviderRetryMax < o.ProviderRetryMin)
            failures.Add($"{FleetOptions.Section}:{nameof(o.ProviderRetryMax)}: {o.ProviderRetryMax} must not be below {nameof(o.ProviderRetryMin)} ({o.ProviderRetryMin})");
        void AtLeastOne(string key, int value)
        {
            if (value < 1) failures.Add($"{FleetQuotas.Key(key)}: {value} must be at least 1");
        }
        var q = o.Quotas;
        AtLeastOne(nameof(q.ObjectBytes), q.ObjectBytes);
        AtLeastOne(nameof(q.ObjectsPerCluster), q.ObjectsPerCluster);
        AtLeastOne(nameof(q.BytesPerCluster), q.BytesPerCluster);
        AtLeastOne(nameof(q.ExportsPerCluster), q.ExportsPerCluster);
        AtLeastOne(nameof(q.EndpointsPerExport), q.EndpointsPerExport);
        AtLeastOne(nameof(q.PortsPerService), q.PortsPerService);
        if (q.BytesPerCluster < q.ObjectBytes)
            failures.Add($"{FleetQuotas.Key(nameof(q.BytesPerCluster))}: {q.BytesPerCluster} must not be below {nameof(q.ObjectBytes)} ({q.ObjectBytes})");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
