using Orleans.Concurrency;
using FleetL4.Models;

namespace FleetL4;

/// <summary>One ServiceExport in one member cluster (key: cluster/namespace/name).</summary>
[Alias("fleetl4.IServiceExportGrain")]
public interface IServiceExportGrain : IGrainWithStringKey
{
    /// <summary>Takes the member's report; returns the export with Valid and Conflict set.</summary>
    [Alias("Report")] Task<ServiceExportView> Report(ServiceExportReport report);

    /// <summary>The ServiceExport was deleted (or its cluster left): withdraw it from the import.</summary>
    [Alias("Remove")] Task Remove();

    /// <summary>The cluster's lease expired (false) or came back (true).</summary>
    [Alias("SetClusterLive")] Task SetClusterLive(bool live);

    [Alias("Get")] Task<ServiceExportView> Get();

    /// <summary>
    /// What this export contributes now (null when invalid or removed). Called by the import while it rebuilds
    /// itself; read-only, so it may interleave with a Report that is waiting on that same import.
    /// </summary>
    [AlwaysInterleave, Alias("GetContribution")] Task<ExportContribution?> GetContribution();

    /// <summary>The import changed its decision about this export (another export came or went).</summary>
    [OneWay, Alias("OnVerdict")] Task OnVerdict(ConflictVerdict verdict);
}
