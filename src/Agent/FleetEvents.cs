using FleetL4.Models;

namespace FleetL4.Agent;

/// <summary>A Kubernetes Event to record: Normal or Warning, a reason and a message.</summary>
public sealed record FleetEvent(string Type, string Reason, string Message);

/// <summary>
/// The Events Fleet's member controllers record, with their reasons and message formats, derived from the condition
/// the hub reports. Only transitions are recorded (the caller compares with the status the object shows).
/// </summary>
public static class FleetEvents
{
    /// <summary>The event for a ServiceExport's Valid or Conflict condition, or null for a reason Fleet records none for.</summary>
    public static FleetEvent? ForServiceExport(string name, Condition condition) => (condition.Type, condition.Reason) switch
    {
        (ConditionTypes.Valid, ConditionReasons.ServiceNotFound) =>
            new(EventTypes.Warning, EventReasons.ServiceNotFound, $"Service {name} is not found or in the deleting state"),
        (ConditionTypes.Valid, ConditionReasons.ServiceIneligible) =>
            new(EventTypes.Warning, EventReasons.ServiceNotEligible, $"Service {name} is not eligible for exporting and please check service spec"),
        (ConditionTypes.Valid, ConditionReasons.ServiceExportInvalidWeightAnnotation) =>
            new(EventTypes.Warning, EventReasons.ServiceExportInvalidWeightAnnotation, $"ServiceExport {name} has invalid weight value in the annotation"),
        (ConditionTypes.Valid, ConditionReasons.ServiceIsValid) =>
            new(EventTypes.Normal, EventReasons.ValidServiceExport, $"Service {name} is valid for export"),
        (ConditionTypes.Conflict, ConditionReasons.ServicePendingConflictResolution) =>
            new(EventTypes.Normal, EventReasons.PendingExportConflictResolution, $"Service {name} is pending export conflict resolution"),
        (ConditionTypes.Conflict, ConditionReasons.ConflictFound) =>
            new(EventTypes.Warning, EventReasons.ServiceExportConflictFound, $"Service {name} is in conflict with other exported services"),
        (ConditionTypes.Conflict, ConditionReasons.NoConflictFound) =>
            new(EventTypes.Normal, EventReasons.NoServiceExportConflictFound, $"Service {name} is exported without conflict"),
        _ => null,
    };

    /// <summary>The event for a MultiClusterService's Valid condition: FoundValidService once it is True.</summary>
    public static FleetEvent? ForMultiClusterService(string serviceImportName, Condition condition) =>
        condition is { Type: ConditionTypes.Valid, Status: ConditionStatuses.True }
            ? new(EventTypes.Normal, EventReasons.FoundValidService, $"Found valid service {serviceImportName} and importing")
            : null;

    /// <summary>An MCS was deleted or now imports another service: it no longer imports <paramref name="serviceImport"/>.</summary>
    public static FleetEvent Unimported(NamespacedName serviceImport) =>
        new(EventTypes.Normal, EventReasons.UnimportedService, $"Unimported service {serviceImport}");
}
