namespace FleetL4.LoadBalancing.Local;

/// <summary>Settings of the local L4 data plane; section "FleetL4:LocalLoadBalancer". Probe defaults follow Azure LB.</summary>
public sealed class LocalLoadBalancerOptions
{
    public const string Section = "FleetL4:LocalLoadBalancer";

    /// <summary>How often each backend is probed with a TCP connect.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Consecutive failed probes that take a backend out (one success puts it back).</summary>
    public int ProbeThreshold { get; set; } = 2;

    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A UDP flow with no packet in either direction for this long is forgotten.</summary>
    public TimeSpan UdpIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Bytes per direction of a TCP connection held in one pooled buffer.</summary>
    public int BufferSize { get; set; } = 16 * 1024;
}
