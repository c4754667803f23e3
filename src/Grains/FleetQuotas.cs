namespace FleetL4;

/// <summary>
/// What one member may make the hub hold, bound from "FleetL4:Quotas". The hub enforces them itself, so a member
/// calling the hub API directly meets the same limits as the CLI.
/// </summary>
public sealed class FleetQuotas
{
    public const string Section = "Quotas";

    /// <summary>UTF-8 bytes of one object's JSON as applied to a virtual member: Kubernetes' object limit (etcd's
    /// 1.5 MiB request limit), so what a real API server stores, a virtual member stores too.</summary>
    public int ObjectBytes { get; set; } = 1536 * 1024;

    /// <summary>Objects stored in one virtual member. Its objects are one grain state, written whole on each apply.</summary>
    public int ObjectsPerCluster { get; set; } = 10_000;

    /// <summary>UTF-8 bytes of all of one virtual member's stored objects: listing them is one hub API message
    /// (16 MiB), which must also hold each object's names; 12 MiB leaves room for those.</summary>
    public int BytesPerCluster { get; set; } = 12 * 1024 * 1024;

    /// <summary>ServiceExports of one member cluster (each is a grain, a blob and a status entry of the cluster).</summary>
    public int ExportsPerCluster { get; set; } = 10_000;

    /// <summary>Endpoints of one address family in one export: Azure Load Balancer's limit of addresses in one backend pool.</summary>
    public int EndpointsPerExport { get; set; } = 5000;

    /// <summary>Ports of one exported Service. Kubernetes sets no limit, but each port is a load-balancing rule per
    /// frontend, and an Azure Standard Load Balancer holds 1,500 rules for all the MCSes placed on it.</summary>
    public int PortsPerService { get; set; } = 100;

    /// <summary>The configuration key of the quota <paramref name="name"/>, as refusals and start-up errors name it.</summary>
    public static string Key(string name) => $"{FleetOptions.Section}:{Section}:{name}";
}
