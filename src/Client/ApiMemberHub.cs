using FleetL4.Members;
using FleetL4.Models;

namespace FleetL4.Client;

/// <summary>A member's changes sent through the hub API, at most <see cref="BatchSize"/> objects per call.</summary>
internal sealed class ApiMemberHub(FleetClient fleet, string cluster) : IMemberHub
{
    public const int BatchSize = 250;

    public async Task<MemberSyncResult> SyncAsync(MemberChanges changes)
    {
        if (changes.Count <= BatchSize) return await fleet.SyncAsync(cluster, changes);
        var exports = new List<ServiceExportView>();
        var mcses = new List<MultiClusterServiceView>();
        var rejected = new List<SyncRejection>();
        foreach (var batch in Batches(changes))
        {
            var result = await fleet.SyncAsync(cluster, batch);
            exports.AddRange(result.Exports);
            mcses.AddRange(result.MultiClusterServices);
            rejected.AddRange(result.Rejected);
        }
        return new MemberSyncResult(exports, mcses, rejected);
    }

    /// <summary>Exports first, then MCSes (an MCS should find its import's exports), in calls of at most BatchSize objects.</summary>
    private static IEnumerable<MemberChanges> Batches(MemberChanges c)
    {
        foreach (var part in c.Reports.Chunk(BatchSize)) yield return new MemberChanges(part, [], [], [], c.Revision);
        foreach (var part in c.RemovedExports.Chunk(BatchSize)) yield return new MemberChanges([], part, [], [], c.Revision);
        foreach (var part in c.MultiClusterServices.Chunk(BatchSize)) yield return new MemberChanges([], [], part, [], c.Revision);
        foreach (var part in c.DeletedMultiClusterServices.Chunk(BatchSize)) yield return new MemberChanges([], [], [], part, c.Revision);
    }
}
