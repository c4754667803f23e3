using Orleans.Concurrency;
using FleetL4.Models;

namespace FleetL4;

/// <summary>
/// The fleet-wide ServiceImport (key: namespace/name): aggregates the exports of every cluster, decides
/// conflicts, and pushes backend changes to the MultiClusterServices that import it.
/// </summary>
[Alias("fleetl4.IServiceImportGrain")]
public interface IServiceImportGrain : IGrainWithStringKey
{
    /// <summary>Adds or updates one cluster's export; returns the verdict for that export.</summary>
    [Alias("UpsertExport")] Task<ConflictVerdict> UpsertExport(ExportContribution contribution);

    /// <summary>Withdraws one cluster's export.</summary>
    [Alias("RemoveExport")] Task RemoveExport(string cluster);

    /// <summary>Binds an MCS; returns a snapshot. Later changes are pushed as deltas.</summary>
    [Alias("Bind")] Task<ImportUpdate> Bind(ClusterNamespacedName mcs);
    [Alias("Unbind")] Task Unbind(ClusterNamespacedName mcs);

    /// <summary>The current full state, for a receiver that missed a delta.</summary>
    [Alias("GetSnapshot")] Task<ImportUpdate> GetSnapshot();

    [Alias("Get")] Task<ServiceImportView> Get();

    /// <summary>An export (re)activated and asks for its verdict again, in case a one-way verdict was lost with a silo.
    /// One-way both ways, so an export can ask from its activation without waiting on the import.</summary>
    [OneWay, Alias("ResendVerdict")] Task ResendVerdict(string cluster);
}
