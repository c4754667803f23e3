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
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    // On a ServiceExport
    public const string ServiceNotFound = "ServiceNotFound";
    public const string ServiceNotEligible = "ServiceNotEligible";
    public const string ServiceExportInvalidWeightAnnotation = "ServiceExportInvalidWeightAnnotation";
    public const string ValidServiceExport = "ValidServiceExport";
    public const string PendingExportConflictResolution = "PendingExportConflictResolution";
    public const string ServiceExportConflictFound = "ServiceExportConflictFound";
    public const string NoServiceExportConflictFound = "NoServiceExportConflictFound";

    // On a MultiClusterService
    public const string FoundValidService = "FoundValidService";
    public const string UnimportedService = "UnimportedService";

    /// <summary>The event for a ServiceExport's Valid or Conflict condition, or null for a reason Fleet records none for.</summary>
    public static FleetEvent? ForServiceExport(string name, Condition condition) => (condition.Type, condition.Reason) switch
    {
        (ConditionTypes.Valid, ConditionReasons.ServiceNotFound) =>
            new(Warning, ServiceNotFound, $"Service {name} is not found or in the deleting state"),
        (ConditionTypes.Valid, ConditionReasons.ServiceIneligible) =>
            new(Warning, ServiceNotEligible, $"Service {name} is not eligible for exporting and please check service spec"),
        (ConditionTypes.Valid, ConditionReasons.ServiceExportInvalidWeightAnnotation) =>
            new(Warning, ServiceExportInvalidWeightAnnotation, $"ServiceExport {name} has invalid weight value in the annotation"),
        (ConditionTypes.Valid, ConditionReasons.ServiceIsValid) =>
            new(Normal, ValidServiceExport, $"Service {name} is valid for export"),
        (ConditionTypes.Conflict, ConditionReasons.ServicePendingConflictResolution) =>
            new(Normal, PendingExportConflictResolution, $"Service {name} is pending export conflict resolution"),
        (ConditionTypes.Conflict, ConditionReasons.ConflictFound) =>
            new(Warning, ServiceExportConflictFound, $"Service {name} is in conflict with other exported services"),
        (ConditionTypes.Conflict, ConditionReasons.NoConflictFound) =>
            new(Normal, NoServiceExportConflictFound, $"Service {name} is exported without conflict"),
        _ => null,
    };

    /// <summary>The event for a MultiClusterService's Valid condition: FoundValidService once it is True.</summary>
    public static FleetEvent? ForMultiClusterService(string serviceImportName, Condition condition) =>
        condition is { Type: ConditionTypes.Valid, Status: ConditionStatuses.True }
            ? new(Normal, FoundValidService, $"Found valid service {serviceImportName} and importing")
            : null;

    /// <summary>An MCS was deleted or now imports another service: it no longer imports <paramref name="serviceImport"/>.</summary>
    public static FleetEvent Unimported(NamespacedName serviceImport) =>
        new(Normal, UnimportedService, $"Unimported service {serviceImport}");
}
