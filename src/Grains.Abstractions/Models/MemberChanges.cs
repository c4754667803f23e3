namespace FleetL4.Models;

/// <summary>
/// What one member sends in one call: ServiceExports reported (with their Service and endpoints) or removed, and
/// MultiClusterServices applied or deleted. Each object is taken or refused on its own.
/// </summary>
/// <param name="Revision">The member's newest resourceVersion (deletions included), stamped on every report; 0 = each
/// report's own.</param>
[GenerateSerializer, Immutable, Alias("fleetl4.MemberChanges")]
public sealed record MemberChanges(
    IReadOnlyList<ServiceExportReport> Reports,
    IReadOnlyList<NamespacedName> RemovedExports,
    IReadOnlyList<MultiClusterServiceSpec> MultiClusterServices,
    IReadOnlyList<NamespacedName> DeletedMultiClusterServices,
    long Revision = 0)
{
    public int Count => Reports.Count + RemovedExports.Count + MultiClusterServices.Count + DeletedMultiClusterServices.Count;
}
