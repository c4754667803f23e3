using FleetL4.Members;
using FleetL4.Models;

namespace FleetL4.Client;

/// <summary>A member's changes sent through the hub API, at most <see cref="BatchSize"/> objects per call and
/// <see cref="CallsInFlight"/> calls at once (the hub's silos take them in parallel).</summary>
internal sealed class ApiMemberHub(FleetClient fleet, string cluster) : IMemberHub
{
    public const int BatchSize = 250;
    public const int CallsInFlight = 4;

    public async Task<MemberSyncResult> SyncAsync(MemberChanges changes)
    {
        if (changes.Count <= BatchSize) return await fleet.SyncAsync(cluster, changes);
        var exports = new List<ServiceExportView>();
        var mcses = new List<MultiClusterServiceView>();
        var rejected = new List<SyncRejection>();
        // Exports before MCSes (an MCS should find its import's exports): each kind's batches in parallel, in turn.
        foreach (var kind in Batches(changes))
        {
            var results = new MemberSyncResult[kind.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, kind.Count), new ParallelOptions { MaxDegreeOfParallelism = CallsInFlight },
                async (i, ct) => results[i] = await fleet.SyncAsync(cluster, kind[i], ct));
            foreach (var result in results)
            {
                exports.AddRange(result.Exports);
                mcses.AddRange(result.MultiClusterServices);
                rejected.AddRange(result.Rejected);
            }
        }
        return new MemberSyncResult(exports, mcses, rejected);
    }

    /// <summary>Per kind (export reports, export removals, MCS applies, MCS deletions), calls of at most BatchSize objects.</summary>
    private static IEnumerable<IReadOnlyList<MemberChanges>> Batches(MemberChanges c)
    {
        yield return [.. c.Reports.Chunk(BatchSize).Select(part => new MemberChanges(part, [], [], [], c.Revision))];
        yield return [.. c.RemovedExports.Chunk(BatchSize).Select(part => new MemberChanges([], part, [], [], c.Revision))];
        yield return [.. c.MultiClusterServices.Chunk(BatchSize).Select(part => new MemberChanges([], [], part, [], c.Revision))];
        yield return [.. c.DeletedMultiClusterServices.Chunk(BatchSize).Select(part => new MemberChanges([], [], [], part, c.Revision))];
    }
}
