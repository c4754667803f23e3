using FleetL4.Models;

namespace FleetL4.State;

/// <summary>
/// A ServiceExport's persisted state. The creation time (conflict resolution) and conditions are written at
/// once; endpoint-only changes are written behind, since the member resyncs them anyway.
/// </summary>
[GenerateSerializer, Alias("fleetl4.ServiceExportState")]
public sealed class ServiceExportState
{
    [Id(0)] public ServiceExportReport? Report { get; set; }
    [Id(1)] public List<Condition> Conditions { get; set; } = [];
    [Id(2)] public bool ClusterLive { get; set; } = true;
    [Id(3)] public bool InImport { get; set; }
    [Id(4)] public long VerdictEpoch { get; set; }
    [Id(5)] public int Weight { get; set; }
    [Id(6)] public bool Valid { get; set; }
}
