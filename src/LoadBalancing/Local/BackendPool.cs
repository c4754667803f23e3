using System.Collections.Concurrent;
using System.Net;

namespace FleetL4.LoadBalancing.Local;

/// <summary>
/// The backends of one local load balancer and their probe state. New connections read <see cref="Healthy"/>,
/// an immutable array swapped whole, so an update applies to the next connection at once and never disturbs
/// connections already open (they drain).
/// </summary>
public sealed class BackendPool
{
    private readonly ConcurrentDictionary<IPAddress, int> _failures = new();
    private IPAddress[] _all = [];
    private volatile IPAddress[] _healthy = [];
    private readonly Lock _lock = new();

    public int ProbeThreshold { get; init; } = 2;

    public IPAddress[] Healthy => _healthy;

    /// <summary>Changes whenever <see cref="Healthy"/> does; lets a UDP flow re-check its backend only then.</summary>
    public int Generation => Volatile.Read(ref _generation);

    private int _generation;

    public IPAddress[] All => Volatile.Read(ref _all);

    public bool ClientIpAffinity { get; set; }

    public void Set(IEnumerable<IPAddress> backends)
    {
        lock (_lock)
        {
            var all = backends.Distinct().OrderBy(a => a.ToString(), StringComparer.Ordinal).ToArray();
            foreach (var gone in _failures.Keys.Except(all)) _failures.TryRemove(gone, out _);
            Volatile.Write(ref _all, all);
            Rebuild();
        }
    }

    /// <summary>Records a probe result; returns true when the backend's health changed.</summary>
    public bool Report(IPAddress backend, bool success)
    {
        lock (_lock)
        {
            if (!_all.Contains(backend)) return false;
            var before = _failures.GetValueOrDefault(backend) < ProbeThreshold;
            var failures = success ? 0 : _failures.GetValueOrDefault(backend) + 1;
            _failures[backend] = failures;
            var after = failures < ProbeThreshold;
            if (before != after) Rebuild();
            return before != after;
        }
    }

    public bool IsHealthy(IPAddress backend) => _failures.GetValueOrDefault(backend) < ProbeThreshold;

    private void Rebuild()
    {
        _healthy = _all.Where(IsHealthy).ToArray();
        Interlocked.Increment(ref _generation);
    }
}
