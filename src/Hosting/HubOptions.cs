using FleetL4.HubApi;

namespace FleetL4.Hosting;

/// <summary>Where the embedded hub listens; section "Hub" of the configuration.</summary>
public sealed class HubOptions
{
    public const string Section = "Hub";

    public int SiloPort { get; set; } = 11111;

    /// <summary>The Orleans gateway, for in-cluster tools only: the CLI and agents use the hub API. Localhost
    /// clustering binds it to loopback, Kubernetes clustering to the pod network.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The hub API (gRPC) that the CLI, agents and FleetClient use (FLEETL4_HUB). Plain text on loopback only;
    /// any other address needs <see cref="Tls"/>.</summary>
    public string ApiUrl { get; set; } = "http://127.0.0.1:30080";

    public HubTlsOptions Tls { get; set; } = new();

    /// <summary>The Orleans dashboard; loopback by default because it has no authentication of its own (off loopback it
    /// is served with TLS and asks for an admin certificate).</summary>
    public string DashboardUrl { get; set; } = "http://127.0.0.1:8888";

    /// <summary>Liveness (/healthz), readiness (/readyz) and Prometheus metrics (/metrics), in plain HTTP: they hold no
    /// secrets, and the probes and scrapers that read them carry no client certificate.</summary>
    public string HealthUrl { get; set; } = "http://127.0.0.1:9464";

    /// <summary>The Orleans dashboard samples the silo's counters and profiles grain calls: off, an idle hub costs less.</summary>
    public bool Dashboard { get; set; } = true;

    /// <summary>How often the dashboard samples counters (its default, 1 s, costs an idle hub about 3 % of a core).</summary>
    public TimeSpan DashboardSampling { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How silos find each other: one on this machine, an Azure Table, or pods.</summary>
    public HubClustering Clustering { get; set; } = HubClustering.Localhost;

    /// <summary>Grain state and reminders: memory (lost on stop) or Azure Storage.</summary>
    public HubStorage Storage { get; set; } = HubStorage.Memory;

    public HubAzureStorageOptions AzureStorage { get; set; } = new();

    /// <summary>Orleans cluster id (silos with the same one form one hub) and service id (the key of stored state).</summary>
    public string ClusterId { get; set; } = "fleetl4";

    public string ServiceId { get; set; } = "fleetl4";

    /// <summary>The address other silos reach this one on (Azure Storage clustering; default 127.0.0.1).</summary>
    public string? AdvertisedAddress { get; set; }
}
