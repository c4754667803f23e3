using FleetL4.Models;

namespace FleetL4.Members;

/// <summary>A member's changes sent to its <see cref="IMemberClusterGrain"/> in-process (virtual clusters of embedded mode).</summary>
public sealed class MemberClusterHub(IMemberClusterGrain member) : IMemberHub
{
    public Task<MemberSyncResult> SyncAsync(MemberChanges changes) => member.Sync(changes);
}
