namespace FleetL4;

/// <summary>Reasons of the Kubernetes Events FleetL4 records: Fleet's member controllers' where Fleet has one.</summary>
public static class EventReasons
{
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

    /// <summary>On an object of the hub's API server that the hub refused (FleetL4's own).</summary>
    public const string RefusedByHub = "RefusedByHub";
}
