namespace FleetL4.LoadBalancing.Local;

/// <summary>How the active probe asks a backend whether it serves, as Azure LB's probe protocol.</summary>
public enum ProbeProtocol
{
    /// <summary>A TCP connect: catches a dead process or host, not a frozen one (the kernel still completes the handshake).</summary>
    Tcp,

    /// <summary>A GET of the probe path answered 200-399 within the probe timeout: only a process that runs can answer.</summary>
    Http,
}
