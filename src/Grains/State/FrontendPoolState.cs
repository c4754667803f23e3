namespace FleetL4.State;

[GenerateSerializer, Alias("fleetl4.FrontendPoolState")]
public sealed class FrontendPoolState
{
    /// <summary>Load balancer id to the frontend address it holds.</summary>
    [Id(0)] public Dictionary<string, string> Held { get; set; } = new(StringComparer.Ordinal);
}
