namespace FleetL4.State;

/// <summary>Which clusters export and which MCSes import; the endpoints themselves are rebuilt from the exports.</summary>
[GenerateSerializer, Alias("fleetl4.ServiceImportState")]
public sealed class ServiceImportState
{
    [Id(0)] public HashSet<string> Clusters { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public HashSet<string> MultiClusterServices { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public long Epoch { get; set; }
}
