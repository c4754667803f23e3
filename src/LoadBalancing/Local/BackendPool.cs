using System.Net;

namespace FleetL4.LoadBalancing.Local;

/// <summary>
/// The backends of one local load balancer and their health (<see cref="BackendHealth"/>). New connections read
/// <see cref="Healthy"/>, an immutable array swapped whole, so an update applies to the next connection at once and
/// never disturbs connections already open (they drain).
/// </summary>
public sealed class BackendPool
{
    private readonly Dictionary<IPAddress, BackendHealth> _health = new();
    private IPAddress[] _all = [];
    private volatile IPAddress[] _healthy = [];
    private readonly Lock _lock = new();

    public int ProbeThreshold { get; init; } = 2;

    /// <summary>Consecutive failed connections that eject a backend; 0 turns passive health off.</summary>
    public int PassiveFailures { get; init; } = 2;

    /// <summary>The first ejection's length; each further one in a row lasts this much longer.</summary>
    public TimeSpan PassiveEjection { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The monotonic clock of ejection periods.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

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
            foreach (var gone in _health.Keys.Except(all).ToArray()) _health.Remove(gone);
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
            var before = _health.GetValueOrDefault(backend);
            return Apply(backend, before, before.AfterProbe(success, Now()));
        }
    }

    /// <summary>
    /// Records how a real connection went: the backend answered (<paramref name="success"/>), or it refused, reset
    /// or left the client's bytes unanswered. Returns true when this ejected the backend.
    /// </summary>
    public bool ReportTraffic(IPAddress backend, bool success)
    {
        if (PassiveFailures < 1) return false;
        lock (_lock)
        {
            if (!_all.Contains(backend)) return false;
            var before = _health.GetValueOrDefault(backend);
            // The common case, a healthy backend answering, changes nothing.
            if (success && before is { PassiveFailures: 0, Ejections: 0 }) return false;
            var last = _healthy is [var only] && only.Equals(backend);
            return Apply(backend, before, before.AfterTraffic(success, Now(), PassiveFailures, PassiveEjection, mayEject: !last));
        }
    }

    public bool IsHealthy(IPAddress backend)
    {
        lock (_lock) return _health.GetValueOrDefault(backend).InRotation(ProbeThreshold);
    }

    /// <summary>Whether passive health has taken the backend out (it returns on a probe success after the period).</summary>
    public bool IsEjected(IPAddress backend)
    {
        lock (_lock) return _health.GetValueOrDefault(backend).IsEjected;
    }

    // Under _lock.
    private bool Apply(IPAddress backend, BackendHealth before, BackendHealth after)
    {
        _health[backend] = after;
        if (before.InRotation(ProbeThreshold) == after.InRotation(ProbeThreshold)) return false;
        Rebuild();
        return true;
    }

    private TimeSpan Now() => Clock.GetElapsedTime(0);

    private void Rebuild()
    {
        _healthy = _all.Where(b => _health.GetValueOrDefault(b).InRotation(ProbeThreshold)).ToArray();
        Interlocked.Increment(ref _generation);
    }
}
