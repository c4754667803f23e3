using FleetL4.Domain;
using Microsoft.Extensions.Options;

namespace FleetL4.HubKubernetes;

/// <summary>Checks section "Hub:Kubernetes" at start (only with Watch on): a client can be built, names and timings are sane.</summary>
public sealed class HubKubernetesOptionsValidator : IValidateOptions<HubKubernetesOptions>
{
    private const string S = HubKubernetesOptions.Section;

    public ValidateOptionsResult Validate(string? name, HubKubernetesOptions o)
    {
        if (!o.Watch) return ValidateOptionsResult.Success;
        var failures = new List<string>();
        if (HubKubernetesClient.Configuration(o).Error is { } error) failures.Add(error);
        foreach (var ns in o.Namespaces)
            if (!NameRules.IsDns1123Label(ns)) failures.Add($"{S}:{nameof(o.Namespaces)}: {NameRules.Quote(ns)} is not a namespace name (a DNS-1123 label)");
        if (o.WatchTimeout < TimeSpan.FromSeconds(1)) failures.Add($"{S}:{nameof(o.WatchTimeout)}: {o.WatchTimeout} is below 1 s");
        if (o.ApiOutageBound < TimeSpan.FromSeconds(3)) failures.Add($"{S}:{nameof(o.ApiOutageBound)}: {o.ApiOutageBound} is below 3 s");
        if (o.BackoffMin <= TimeSpan.Zero) failures.Add($"{S}:{nameof(o.BackoffMin)}: {o.BackoffMin} must be greater than zero");
        if (o.BackoffMax < o.BackoffMin) failures.Add($"{S}:{nameof(o.BackoffMax)}: {o.BackoffMax} must not be below {nameof(o.BackoffMin)} ({o.BackoffMin})");
        if (o.StatusCoalescing < TimeSpan.Zero || o.StatusCoalescing > TimeSpan.FromSeconds(10))
            failures.Add($"{S}:{nameof(o.StatusCoalescing)}: {o.StatusCoalescing} is outside 0..10 s");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
