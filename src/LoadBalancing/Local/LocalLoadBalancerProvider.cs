using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FleetL4.LoadBalancing.Local;

/// <summary>
/// The embedded data plane: each MCS gets an address from the loopback pool (Linux routes all of 127/8 to lo)
/// and real TCP/UDP listeners on it that forward to the backends.
/// </summary>
public sealed class LocalLoadBalancerProvider : ILoadBalancerProvider, IDisposable
{
    private readonly FrontendIpPool _pool;
    private readonly LocalLoadBalancerOptions _options;
    private readonly ILogger<LocalLoadBalancerProvider> _logger;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, LocalLoadBalancer> _balancers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <param name="clock">The clock of UDP flow idle expiry (<see cref="TimeProvider.System"/> in a host; tests move a fake one).</param>
    public LocalLoadBalancerProvider(IOptions<LoadBalancingOptions> pools, IOptions<LocalLoadBalancerOptions> options,
        ILogger<LocalLoadBalancerProvider> logger, TimeProvider clock)
    {
        _clock = clock;
        _pool = new FrontendIpPool(pools.Value.FrontendPool);
        _options = options.Value;
        _logger = logger;
    }

    public LocalLoadBalancer? Find(string id)
    {
        _lock.Wait();
        try { return _balancers.GetValueOrDefault(id); } finally { _lock.Release(); }
    }

    public bool UsesHubFrontendPool => true;

    public async Task<string> EnsureAsync(LoadBalancerSpec spec, CancellationToken cancellationToken)
    {
        // Linux routes all of 127/8 to lo, but only ::1 of IPv6: one address cannot give every MCS its own frontend.
        if (spec.Family != IpFamily.IPv4)
            throw new NotSupportedException("the local load balancer serves IPv4 frontends only; this import has IPv6 backends only");
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var ip = _pool.Allocate(spec.Id, spec.FrontendIp);
            if (!_balancers.TryGetValue(spec.Id, out var lb))
            {
                lb = new LocalLoadBalancer(IPAddress.Parse(ip), _options, _logger, _clock);
                _balancers[spec.Id] = lb;
                _logger.LogInformation("Frontend {Ip} serves {Id}", ip, spec.Id);
            }
            lb.Apply(spec);
            return ip;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_balancers.Remove(id, out var lb)) lb.Dispose();
            _pool.Release(id);
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose()
    {
        foreach (var lb in _balancers.Values) lb.Dispose();
        _balancers.Clear();
    }
}
