namespace FleetL4.LoadBalancing.Azure;

/// <summary>Where and how MCS frontends are programmed into Azure; section "FleetL4:Azure".</summary>
public sealed class AzureOptions
{
    public const string Section = "FleetL4:Azure";

    public string? SubscriptionId { get; set; }
    public string? ResourceGroup { get; set; }
    public string? Location { get; set; }

    /// <summary>Full resource id of the VNet the pod IPs are in; every backend address references it.</summary>
    public string? VirtualNetworkId { get; set; }

    /// <summary>Subnet of internal frontends (required only when an MCS asks for an internal load balancer).</summary>
    public string? InternalSubnetId { get; set; }

    /// <summary>ARM base URI; the public cloud by default. Sovereign clouds and emulators set it.</summary>
    public Uri Endpoint { get; set; } = new("https://management.azure.com/");

    public AzureCredentialKind Credential { get; set; } = AzureCredentialKind.Default;

    /// <summary>Bearer token for <see cref="AzureCredentialKind.StaticToken"/>; never logged.</summary>
    public string? StaticToken { get; set; }

    /// <summary>An extra PEM CA trusted for the ARM endpoint (emulators), besides the system's.</summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>Microsoft.Network writes allowed per 5 minutes per subscription, shared by all silos (NRP's limit is 1,000).</summary>
    public int WriteBudget { get; set; } = 1000;

    /// <summary>Name of the shared load balancers: NAME (public) and NAME-internal, then NAME-2, ... when one is full.</summary>
    public string LoadBalancerName { get; set; } = "fleetl4";

    /// <summary>Changes to one load balancer within this window become one write (widened when the budget is short).</summary>
    public TimeSpan CoalescingWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Delay between polls of a long-running operation when ARM gives no Retry-After.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>First retry delay after a failed or superseded write; doubles up to <see cref="RetryMax"/>.</summary>
    public TimeSpan RetryMin { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMax { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>After a hub restart, parts of a load balancer nobody claims are removed only after this long (owners re-apply first).</summary>
    public TimeSpan OrphanGracePeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often each shared load balancer is read to find changes made behind FleetL4's back (reads only).</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>TCP health probe of every backend port: interval and failures before a backend is out.</summary>
    public int ProbeIntervalSeconds { get; set; } = 5;

    public int ProbeThreshold { get; set; } = 2;

    /// <summary>idleTimeoutInMinutes of every rule (4..30).</summary>
    public int IdleTimeoutMinutes { get; set; } = 4;

    /// <summary>Frontends one shared load balancer takes before the next (NAME-2, ...) opens; Standard LB's limit is 600.</summary>
    public int MaxFrontendsPerLoadBalancer { get; set; } = Balancers.LoadBalancerPlacement.MaxFrontends;

    /// <summary>Rules one shared load balancer takes before the next opens; Standard LB's limit is 1,500.</summary>
    public int MaxRulesPerLoadBalancer { get; set; } = Balancers.LoadBalancerPlacement.MaxRules;
}
