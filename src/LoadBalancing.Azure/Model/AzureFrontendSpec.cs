namespace FleetL4.LoadBalancing.Azure.Model;

/// <summary>One listener of an MCS: frontend port/protocol to the backends' port.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.azure.AzurePort")]
public sealed record AzurePort([property: Id(0)] int Port, [property: Id(1)] string Protocol, [property: Id(2)] int BackendPort);

/// <summary>
/// What one MCS wants on its shared load balancer: a frontend (public IP or internal address), an IP-based pool of
/// its endpoints, a rule per port and a TCP probe per TCP backend port. Sent by the provider to the grain that owns
/// the load balancer.
/// </summary>
/// <param name="McsId">cluster/namespace/name.</param>
/// <param name="Name">The MCS's name on Azure (<see cref="AzureNames.ForMcs"/>).</param>
/// <param name="PublicIpId">The public IP of a public frontend; null for an internal one.</param>
/// <param name="PrivateIp">The internal frontend's address to keep (null: let Azure pick, then keep it).</param>
[GenerateSerializer, Immutable, Alias("fleetl4.azure.AzureFrontendSpec")]
public sealed record AzureFrontendSpec(
    [property: Id(0)] string McsId,
    [property: Id(1)] string Name,
    [property: Id(2)] string? PublicIpId,
    [property: Id(3)] string? PrivateIp,
    [property: Id(4)] IReadOnlyList<AzurePort> Ports,
    [property: Id(5)] IReadOnlyList<string> Backends,
    [property: Id(6)] string SessionAffinity);
