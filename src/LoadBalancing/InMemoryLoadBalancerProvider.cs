using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace FleetL4.LoadBalancing;

/// <summary>
/// A provider that only records desired state and allocates frontend IPs from the configured pools. For tests
/// and benchmarks: what it holds is exactly what a real data plane would have been asked to do.
/// </summary>
public sealed class InMemoryLoadBalancerProvider : ILoadBalancerProvider
{
    private readonly ConcurrentDictionary<string, LoadBalancerSpec> _balancers = new(StringComparer.Ordinal);
    private readonly FrontendIpPool _pool;
    private readonly FrontendIpPool _poolIPv6;

    public InMemoryLoadBalancerProvider(IOptions<LoadBalancingOptions> options)
        : this(options.Value.FrontendPool, options.Value.FrontendPoolIPv6) { }

    public InMemoryLoadBalancerProvider(string frontendPool, string frontendPoolIPv6 = "fd00:f1ee:4::/112")
    {
        _pool = new FrontendIpPool(frontendPool);
        _poolIPv6 = new FrontendIpPool(frontendPoolIPv6, AddressFamily.InterNetworkV6, "FleetL4:FrontendPoolIPv6");
    }

    /// <summary>Raised after every successful ensure, with the state now held (benchmarks time propagation with it).</summary>
    public event Action<LoadBalancerSpec>? Ensured;

    public int EnsureCalls;

    public IReadOnlyDictionary<string, LoadBalancerSpec> Balancers => _balancers;

    public LoadBalancerSpec? Find(string id) => _balancers.GetValueOrDefault(id);

    public bool UsesHubFrontendPool => true;

    public Task<string> EnsureAsync(LoadBalancerSpec spec, CancellationToken cancellationToken)
    {
        // A change of family gives up the old frontend for one of the new family, as a dual-stack LB would.
        var (pool, other) = spec.Family == IpFamily.IPv6 ? (_poolIPv6, _pool) : (_pool, _poolIPv6);
        other.Release(spec.Id);
        // The hub's pool decided (possibly on another silo, where this address's last holder moved from).
        var ip = spec.FrontendIp is { } given && pool.Contains(given) ? pool.Assign(spec.Id, given) : pool.Allocate(spec.Id, spec.FrontendIp);
        var held = spec with { FrontendIp = ip };
        _balancers[spec.Id] = held;
        Interlocked.Increment(ref EnsureCalls);
        Ensured?.Invoke(held);
        return Task.FromResult(ip);
    }

    public Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        _balancers.TryRemove(id, out _);
        _pool.Release(id);
        _poolIPv6.Release(id);
        return Task.CompletedTask;
    }
}
