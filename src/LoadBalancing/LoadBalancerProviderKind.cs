namespace FleetL4.LoadBalancing;

/// <summary>Which data plane MCS frontends are programmed into (FleetL4:Provider).</summary>
public enum LoadBalancerProviderKind
{
    /// <summary>Real TCP/UDP listeners on loopback addresses: the embedded default.</summary>
    Local,

    /// <summary>Records desired state only (tests, benchmarks).</summary>
    InMemory,

    /// <summary>Azure Standard Load Balancers through ARM (src/LoadBalancing.Azure, section FleetL4:Azure).</summary>
    Azure,
}
