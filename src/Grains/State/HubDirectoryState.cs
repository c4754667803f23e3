namespace FleetL4.State;

/// <summary>Which namespaces hold hub objects, and which placements exist.</summary>
[GenerateSerializer, Alias("fleetl4.HubDirectoryState")]
public sealed class HubDirectoryState
{
    [Id(0)] public SortedSet<string> Namespaces { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public SortedSet<string> Placements { get; set; } = new(StringComparer.Ordinal);
}
