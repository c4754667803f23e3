namespace FleetL4.State;

/// <summary>Which clusters export and which MCSes import; the endpoints themselves are rebuilt from the exports.</summary>
[GenerateSerializer, Alias("fleetl4.ServiceImportState")]
public sealed class ServiceImportState
{
    [Id(0)] public HashSet<string> Clusters { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public HashSet<ClusterNamespacedName> MultiClusterServices { get; set; } = [];
    [Id(2)] public long Epoch { get; set; }

    /// <summary>Counts activations; the high half of every version this import hands out.</summary>
    [Id(3)] public long Incarnation { get; set; }

    /// <summary>When the first export or importer arrived (the ServiceImport's creationTimestamp).</summary>
    [Id(4)] public DateTimeOffset CreationTimestamp { get; set; }
}
