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
    [Alias("Heartbeat")] Task Heartbeat();
    [Alias("Get")] Task<MemberClusterView> Get();

    [Alias("ReportExport")] Task<ServiceExportView> ReportExport(ServiceExportReport report);
    [Alias("RemoveExport")] Task RemoveExport(NamespacedName export);
    [Alias("ApplyMcs")] Task<MultiClusterServiceView> ApplyMultiClusterService(MultiClusterServiceSpec spec);
    [Alias("DeleteMcs")] Task DeleteMultiClusterService(NamespacedName mcs);
}
