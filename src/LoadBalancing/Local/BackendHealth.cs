namespace FleetL4.LoadBalancing.Local;

/// <summary>
/// What one backend's probes and real connections have shown, and the pure rules that move it in and out of
/// rotation. The active probe counts consecutive failures (<c>ProbeThreshold</c> take it out, one success puts it
/// back). Passive health counts consecutive failed connections (refused, reset or unanswered): <c>PassiveFailures</c>
/// of them eject the backend for an ejection period that grows with each ejection in a row, as Envoy's outlier
/// detection does (base x ejections, at most <see cref="MaxEjection"/>); after the period the next successful
/// probe readmits it, so a backend that is still frozen or broken stays out as long as the probe can tell.
/// </summary>
public readonly record struct BackendHealth(int ProbeFailures, int PassiveFailures, int Ejections, TimeSpan? EjectedUntil)
{
    /// <summary>Envoy's default max_ejection_time: a backend that keeps failing is retried at least this often.</summary>
    public static readonly TimeSpan MaxEjection = TimeSpan.FromMinutes(5);

    public bool IsEjected => EjectedUntil is not null;

    public bool InRotation(int probeThreshold) => ProbeFailures < probeThreshold && !IsEjected;

    /// <summary>A probe result at <paramref name="now"/>: an ejected backend returns only on a success after its period.</summary>
    public BackendHealth AfterProbe(bool success, TimeSpan now) => success
        ? this with { ProbeFailures = 0, EjectedUntil = EjectedUntil <= now ? null : EjectedUntil }
        : this with { ProbeFailures = ProbeFailures + 1 };

    /// <summary>
    /// A real connection's outcome. A success (the backend answered) clears the passive count and the ejection
    /// history; a failure while already ejected (a connection opened before) changes nothing.
    /// <paramref name="mayEject"/> is false when this backend is the last one in rotation: ejecting it would turn
    /// a slow backend into an outage, so traffic keeps flowing and the probe alone decides.
    /// </summary>
    public BackendHealth AfterTraffic(bool success, TimeSpan now, int failuresToEject, TimeSpan ejection, bool mayEject)
    {
        if (success) return this with { PassiveFailures = 0, Ejections = IsEjected ? Ejections : 0 };
        if (IsEjected || failuresToEject < 1) return this;
        var failures = PassiveFailures + 1;
        if (failures < failuresToEject || !mayEject) return this with { PassiveFailures = failures };
        var ejections = Math.Min(Ejections + 1, 1000); // bounded, so the product below cannot overflow
        var period = TimeSpan.FromTicks(Math.Min(MaxEjection.Ticks, ejection.Ticks * ejections));
        return new BackendHealth(ProbeFailures, 0, ejections, now + period);
    }
}
