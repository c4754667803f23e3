using Orleans.Concurrency;
using FleetL4.Models;

namespace FleetL4;

/// <summary>
/// One member cluster (key: cluster name). Every report from a member enters the hub here, so that a cluster
/// that has not joined is refused and leaving can remove everything the cluster created.
/// </summary>
[Alias("fleetl4.IMemberClusterGrain")]
public interface IMemberClusterGrain : IGrainWithStringKey
{
    /// <param name="isVirtual">A virtual member (embedded mode) keeps its objects in the hub, so the hub holds its
    /// lease: it never expires. A member with an agent joins with false and must heartbeat.</param>
    [Alias("Join")] Task<MemberClusterView> Join(IReadOnlyDictionary<string, string> labels, bool isVirtual = false);
    [Alias("Leave")] Task Leave();

    /// <summary>Sets and removes labels of a virtual member (an agent's labels come from the agent, on every join).</summary>
    [Alias("Label")] Task<MemberClusterView> Label(IReadOnlyDictionary<string, string> set, IReadOnlyList<string> remove);
    [Alias("Heartbeat")] Task Heartbeat();
    [Alias("Get")] Task<MemberClusterView> Get();

    /// <summary>Takes many of the member's objects at once; each is taken or refused on its own.</summary>
    [Alias("Sync")] Task<MemberSyncResult> Sync(MemberChanges changes);

    /// <summary>Subscribes (or renews) a status watcher and records a heartbeat: an open status stream is the heartbeat.</summary>
    [Alias("Watch")] Task<StatusWatch> Watch(IMemberStatusObserver observer);
    [Alias("Unwatch")] Task Unwatch(IMemberStatusObserver observer);

    /// <summary>One of the cluster's exports or MCSes changed its status (sent by that grain; fanned out to watchers).</summary>
    [OneWay, AlwaysInterleave, Alias("OnStatusChanged")] Task OnStatusChanged(StatusChange change);
}
