namespace FleetL4.State;

[GenerateSerializer, Alias("fleetl4.FleetDirectoryState")]
public sealed class FleetDirectoryState
{
    [Id(0)] public SortedSet<string> Clusters { get; set; } = new(StringComparer.Ordinal);
}
