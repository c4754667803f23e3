using FleetL4.Agent;
using FleetL4.Models;

namespace FleetL4.Tests.Kubernetes;

/// <summary>The Events the agent records, side by side with the condition they come from and Fleet's texts.</summary>
public sealed class FleetEventsTests
{
    private static Condition Cond(string type, string status, string reason) => new(type, status, reason, "", 1, DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData("Valid", "False", "ServiceNotFound", "Warning", "ServiceNotFound", "Service kuard is not found or in the deleting state")]
    [InlineData("Valid", "False", "ServiceIneligible", "Warning", "ServiceNotEligible", "Service kuard is not eligible for exporting and please check service spec")]
    [InlineData("Valid", "False", "ServiceExportInvalidWeightAnnotation", "Warning", "ServiceExportInvalidWeightAnnotation", "ServiceExport kuard has invalid weight value in the annotation")]
    [InlineData("Valid", "True", "ServiceIsValid", "Normal", "ValidServiceExport", "Service kuard is valid for export")]
    [InlineData("Conflict", "Unknown", "ServicePendingConflictResolution", "Normal", "PendingExportConflictResolution", "Service kuard is pending export conflict resolution")]
    [InlineData("Conflict", "True", "ConflictFound", "Warning", "ServiceExportConflictFound", "Service kuard is in conflict with other exported services")]
    [InlineData("Conflict", "False", "NoConflictFound", "Normal", "NoServiceExportConflictFound", "Service kuard is exported without conflict")]
    public void A_ServiceExport_condition_maps_to_Fleet_s_event(string type, string status, string reason, string eventType, string eventReason, string message) =>
        Assert.Equal(new FleetEvent(eventType, eventReason, message), FleetEvents.ForServiceExport("kuard", Cond(type, status, reason)));

    [Fact]
    public void A_MultiClusterService_records_FoundValidService_when_Valid_and_UnimportedService_when_it_stops_importing()
    {
        Assert.Equal(new FleetEvent("Normal", "FoundValidService", "Found valid service kuard and importing"),
            FleetEvents.ForMultiClusterService("kuard", Cond("Valid", "True", "FoundServiceImport")));
        Assert.Null(FleetEvents.ForMultiClusterService("kuard", Cond("Valid", "Unknown", "UnknownServiceImport")));
        Assert.Null(FleetEvents.ForMultiClusterService("kuard", Cond("Valid", "False", "InvalidSpec")));
        Assert.Equal(new FleetEvent("Normal", "UnimportedService", "Unimported service kuard-demo/kuard"),
            FleetEvents.Unimported(new NamespacedName("kuard-demo", "kuard")));
    }
}
