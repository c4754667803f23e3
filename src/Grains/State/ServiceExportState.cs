using FleetL4.Models;

namespace FleetL4.State;

/// <summary>
/// A ServiceExport's persisted state. The creation time (conflict resolution) and conditions are written at
/// once; endpoint-only changes are written behind, and a marker says so (see EndpointsUnsaved).
/// </summary>
[GenerateSerializer, Alias("fleetl4.ServiceExportState")]
public sealed class ServiceExportState
{
    [Id(0)] public ServiceExportReport? Report { get; set; }
    [Id(1)] public List<Condition> Conditions { get; set; } = [];
    [Id(2)] public bool ClusterLive { get; set; } = true;
    [Id(3)] public bool InImport { get; set; }
    [Id(4)] public long VerdictEpoch { get; set; }
    /// <summary>The weight the export takes part in its import with; null or 0: it takes no part.</summary>
    [Id(5)] public int? Weight { get; set; }
    [Id(6)] public bool Valid { get; set; }

    /// <summary>The weight of the last valid report while the export is live, so a bad annotation does not cut traffic.</summary>
    [Id(7)] public int? LastGoodWeight { get; set; }

    /// <summary>True from an activation's first endpoint change (held in memory, written behind) until it deactivates
    /// cleanly: still true when the grain activates, its silo died or stopped first, so the member is asked to send
    /// the export again (one marker write per activation, not one per window).</summary>
    [Id(8)] public bool EndpointsUnsaved { get; set; }
}
