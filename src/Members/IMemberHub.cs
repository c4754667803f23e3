using FleetL4.Models;

namespace FleetL4.Members;

/// <summary>What one member cluster sends to the hub. Virtual clusters call their member grain; agents call through the client.</summary>
public interface IMemberHub
{
    Task<ServiceExportView> ReportServiceExportAsync(ServiceExportReport report);
    Task RemoveServiceExportAsync(NamespacedName export);
    Task<MultiClusterServiceView> ApplyMultiClusterServiceAsync(MultiClusterServiceSpec spec);
    Task DeleteMultiClusterServiceAsync(NamespacedName mcs);
}
