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
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
