namespace FleetL4.Silo;

/// <summary>Where the embedded hub listens; section "Hub" of the configuration.</summary>
public sealed class HubOptions
{
    public const string Section = "Hub";

    public int SiloPort { get; set; } = 11111;

    /// <summary>Clients and member agents connect here (FLEETL4_HUB).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The Orleans dashboard; loopback by default because it has no authentication.</summary>
    public string DashboardUrl { get; set; } = "http://127.0.0.1:8888";

    /// <summary>
    /// Kubernetes mode runs one replica until the hub's storage moves to Azure Table (roadmap): the pod is its
    /// own primary silo.
    /// </summary>
    public HubClustering Clustering { get; set; } = HubClustering.Localhost;
}
