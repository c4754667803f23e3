using System.Net;
using Microsoft.Extensions.Logging;

namespace FleetL4.LoadBalancing.Local;

/// <summary>One MCS's frontend on this machine: a loopback address with a TCP or UDP listener per service port.</summary>
public sealed class LocalLoadBalancer : IDisposable
{
    private readonly IPAddress _address;
    private readonly LocalLoadBalancerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly BackendPool _pool;
    private readonly HealthProber _prober;
    private readonly Dictionary<(int Port, string Protocol), Frontend> _listeners = new();
    private readonly List<TcpFrontend> _draining = [];

    /// <param name="clock">The clock of UDP flow idle expiry; probes, connect and passive timeouts and ejections run on the wall clock of real sockets.</param>
    public LocalLoadBalancer(IPAddress address, LocalLoadBalancerOptions options, ILogger logger, TimeProvider clock)
    {
        _address = address;
        _options = options;
        _logger = logger;
        _clock = clock;
        _pool = new BackendPool
        {
            ProbeThreshold = options.ProbeThreshold,
            PassiveFailures = options.PassiveFailures,
            PassiveEjection = options.PassiveEjection,
        };
        _prober = new HealthProber(_pool, options, logger);
    }

    public BackendPool Pool => _pool;

    public IReadOnlyCollection<(int Port, string Protocol)> Listeners => _listeners.Keys;

    /// <summary>Open UDP flows over all UDP listeners.</summary>
    public int UdpFlows => _listeners.Values.OfType<UdpFrontend>().Sum(u => u.Flows);

    /// <summary>Makes listeners and backends match <paramref name="spec"/>. Existing connections are left to finish.</summary>
    public void Apply(LoadBalancerSpec spec)
    {
        // Listeners removed earlier are dropped once their last connection has ended.
        _draining.RemoveAll(tcp =>
        {
            if (tcp.OpenConnections > 0) return false;
            tcp.Dispose();
            return true;
        });
        _pool.ClientIpAffinity = spec.SessionAffinity == "ClientIP";
        _pool.Set(spec.Backends.Select(b => IPAddress.Parse(b.Address)));
        _prober.ProbePort = spec.Ports.FirstOrDefault(p => p.Protocol == "TCP")?.BackendPort;

        var wanted = spec.Ports.Where(p => p.Protocol is "TCP" or "UDP").ToDictionary(p => (p.Port, p.Protocol));
        foreach (var key in _listeners.Keys.Except(wanted.Keys).ToArray())
        {
            if (_listeners[key] is TcpFrontend tcp)
            {
                tcp.StopListening();
                _draining.Add(tcp);
            }
            else _listeners[key].Dispose();
            _listeners.Remove(key);
        }
        foreach (var (key, port) in wanted)
        {
            if (_listeners.TryGetValue(key, out var existing))
            {
                existing.BackendPort = port.BackendPort;
                continue;
            }
            _listeners[key] = key.Protocol == "TCP"
                ? (Frontend)new TcpFrontend(_address, port.Port, port.BackendPort, _pool, _options, _logger)
                : new UdpFrontend(_address, port.Port, port.BackendPort, _pool, _options, _logger, _clock);
        }
        foreach (var p in spec.Ports.Where(p => p.Protocol is not ("TCP" or "UDP")))
            _logger.LogWarning("{Protocol} port {Port} of {Id} is not served by the local load balancer", p.Protocol, p.Port, spec.Id);
    }

    public void Dispose()
    {
        _prober.Dispose();
        foreach (var listener in _listeners.Values) listener.Dispose();
        foreach (var tcp in _draining) tcp.Dispose();
        _listeners.Clear();
    }
}
