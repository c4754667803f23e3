namespace FleetL4.Models;

/// <summary>One endpoint of an EndpointSlice (discovery.k8s.io/v1 conditions; a null ready means ready).</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.EndpointInfo")]
public sealed record EndpointInfo(
    string Address,
    bool Ready = true,
    bool Serving = true,
    bool Terminating = false,
    string? Zone = null);
