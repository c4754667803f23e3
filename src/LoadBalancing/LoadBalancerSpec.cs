using FleetL4.Models;

namespace FleetL4.LoadBalancing;

/// <summary>One listener: traffic to <see cref="Port"/>/<see cref="Protocol"/> goes to each backend's <see cref="BackendPort"/>.</summary>
public sealed record FrontendPort(int Port, string Protocol, int BackendPort);

/// <summary>
/// The whole desired state of one MCS's load balancer. Providers treat it as level-triggered: make the real
/// thing look like this, whatever it looked like before.
/// </summary>
/// <param name="Id">The MCS key (cluster/namespace/name); providers tag what they create with it.</param>
/// <param name="FrontendIp">The address allocated earlier, to keep (null on first creation, or when the family changed).</param>
/// <param name="Backends">All of <paramref name="Family"/>: a load balancer frontend sends to one address family.</param>
/// <param name="SessionAffinity">None or ClientIP.</param>
public sealed record LoadBalancerSpec(
    string Id,
    string? FrontendIp,
    bool Internal,
    IReadOnlyList<FrontendPort> Ports,
    IReadOnlyList<Backend> Backends,
    string SessionAffinity,
    IpFamily Family = IpFamily.IPv4);
