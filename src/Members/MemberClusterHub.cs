using FleetL4.Models;

namespace FleetL4.Members;

/// <summary>A member's hub calls on its <see cref="IMemberClusterGrain"/>, the one way into the hub for a member.</summary>
public sealed class MemberClusterHub(IMemberClusterGrain member) : IMemberHub
{
    public Task<ServiceExportView> ReportServiceExportAsync(ServiceExportReport report) => member.ReportExport(report);
    public Task RemoveServiceExportAsync(NamespacedName export) => member.RemoveExport(export);
    public Task<MultiClusterServiceView> ApplyMultiClusterServiceAsync(MultiClusterServiceSpec spec) => member.ApplyMultiClusterService(spec);
    public Task DeleteMultiClusterServiceAsync(NamespacedName mcs) => member.DeleteMultiClusterService(mcs);
}
