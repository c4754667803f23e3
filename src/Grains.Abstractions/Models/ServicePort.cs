namespace FleetL4.Models;

/// <summary>
/// One port of an exported Service. <see cref="TargetPort"/> is the numeric port on the endpoints
/// (0 = same as <see cref="Port"/>); a named targetPort is resolved by the reporter from its EndpointSlices.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleetl4.ServicePort")]
public sealed record ServicePort(
    string? Name,
    string Protocol,
    int Port,
    int TargetPort = 0,
    string? AppProtocol = null)
{
    /// <summary>The port traffic is sent to on each endpoint.</summary>
    public int BackendPort => TargetPort == 0 ? Port : TargetPort;
}
