using Microsoft.Extensions.Options;

namespace FleetL4.LoadBalancing.Local;

/// <summary>Checks FleetL4:LocalLoadBalancer at start.</summary>
public sealed class LocalLoadBalancerOptionsValidator : IValidateOptions<LocalLoadBalancerOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalLoadBalancerOptions o)
    {
        var failures = new List<string>();
        void Positive(string key, TimeSpan value)
        {
            if (value <= TimeSpan.Zero) failures.Add($"{LocalLoadBalancerOptions.Section}:{key}: {value} must be greater than zero");
        }
        Positive(nameof(o.ProbeInterval), o.ProbeInterval);
        Positive(nameof(o.ProbeTimeout), o.ProbeTimeout);
        Positive(nameof(o.UdpIdleTimeout), o.UdpIdleTimeout);
        Positive(nameof(o.ConnectTimeout), o.ConnectTimeout);
        if (o.ProbeThreshold < 1) failures.Add($"{LocalLoadBalancerOptions.Section}:{nameof(o.ProbeThreshold)}: {o.ProbeThreshold} must be at least 1");
        if (o.BufferSize is < 1024 or > 1024 * 1024) failures.Add($"{LocalLoadBalancerOptions.Section}:{nameof(o.BufferSize)}: {o.BufferSize} must be from 1024 to 1048576");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
