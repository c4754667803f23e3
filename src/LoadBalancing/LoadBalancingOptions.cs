namespace FleetL4.LoadBalancing;

/// <summary>Which provider serves MCS frontends and where their addresses come from; keys of section "FleetL4".</summary>
public sealed class LoadBalancingOptions
{
    public const string Section = "FleetL4";

    public LoadBalancerProviderKind Provider { get; set; } = LoadBalancerProviderKind.Local;

    /// <summary>Frontend addresses of the in-memory and local providers (an IPv4 CIDR block).</summary>
    public string FrontendPool { get; set; } = "127.0.100.0/24";

    /// <summary>Frontend addresses for imports whose backends are all IPv6 (an IPv6 CIDR block).</summary>
    public string FrontendPoolIPv6 { get; set; } = "fd00:f1ee:4::/112";
}
