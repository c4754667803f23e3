using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace FleetL4.LoadBalancing;

/// <summary>
/// A provider that only records desired state and allocates frontend IPs from the configured pool. For tests
/// and benchmarks: what it holds is exactly what a real data plane would have been asked to do.
/// </summary>
public sealed class InMemoryLoadBalancerProvider : ILoadBalancerProvider
{
    private readonly ConcurrentDictionary<string, LoadBalancerSpec> _balancers = new(StringComparer.Ordinal);
    private readonly FrontendIpPool _pool;

    public InMemoryLoadBalancerProvider(IOptions<FleetOptions> options) : this(options.Value.FrontendPool) { }

    public InMemoryLoadBalancerProvider(string frontendPool) => _pool = new FrontendIpPool(frontendPool);

    /// <summary>Raised after every successful ensure, with the state now held (benchmarks time propagation with it).</summary>
    public event Action<LoadBalancerSpec>? Ensured;

    public int EnsureCalls;

    public IReadOnlyDictionary<string, LoadBalancerSpec> Balancers => _balancers;

    public LoadBalancerSpec? Find(string id) => _balancers.GetValueOrDefault(id);

    public Task<string> EnsureAsync(LoadBalancerSpec spec, CancellationToken cancellationToken)
    {
        var ip = _pool.Allocate(spec.Id, spec.FrontendIp);
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
        return Task.CompletedTask;
    }
}
