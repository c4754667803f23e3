using FleetL4.Models;

namespace FleetL4.Members;

/// <summary>Where one member cluster's changes go. Virtual clusters call their member grain; agents call the hub API.</summary>
public interface IMemberHub
{
    /// <summary>Many objects at once; each is taken or refused on its own.</summary>
    Task<MemberSyncResult> SyncAsync(MemberChanges changes);
}
