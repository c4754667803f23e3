namespace FleetL4.LoadBalancing.Local;

/// <summary>Settings of the local L4 data plane; section "FleetL4:LocalLoadBalancer". Probe defaults follow Azure LB.</summary>
public sealed class LocalLoadBalancerOptions
{
    public const string Section = "FleetL4:LocalLoadBalancer";

    /// <summary>How often each backend is probed.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Consecutive failed probes that take a backend out (one success puts it back).</summary>
    public int ProbeThreshold { get; set; } = 2;

    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A TCP connect (default) or an HTTP GET of <see cref="ProbePath"/>, as Azure LB's probe protocol.</summary>
    public ProbeProtocol ProbeProtocol { get; set; } = ProbeProtocol.Tcp;

    /// <summary>The path an HTTP probe gets, as Azure LB's requestPath; healthy on 200-399, as the kubelet's httpGet.</summary>
    public string ProbePath { get; set; } = "/";

    /// <summary>
    /// Passive health: how long a backend may stay silent after the client's first bytes reached it. A frozen process
    /// (SIGSTOP, a GC stall) still completes TCP handshakes, so only real traffic shows it. Keep it above the slowest
    /// first answer of the service: a slower backend counts as failing.
    /// </summary>
    public TimeSpan PassiveTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Consecutive failed connections (refused, reset, unanswered) that eject a backend; 0 turns passive health off.</summary>
    public int PassiveFailures { get; set; } = 2;

    /// <summary>How long the first ejection lasts (each further one in a row adds as much, at most 5 min); then the probe readmits.</summary>
    public TimeSpan PassiveEjection { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A UDP flow with no packet in either direction for this long is forgotten.</summary>
    public TimeSpan UdpIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Bytes per direction of a TCP connection held in one pooled buffer.</summary>
    public int BufferSize { get; set; } = 16 * 1024;
}
