namespace FleetL4.Domain;

/// <summary>Condition types and reasons, spelled as Azure Fleet spells them: users grep for these strings.</summary>
public static class ConditionReasons
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";

    // ServiceExport
    public const string Valid = "Valid";
    public const string Conflict = "Conflict";
    public const string ServiceIsValid = "ServiceIsValid";
    public const string ServiceNotFound = "ServiceNotFound";
    public const string ServiceIneligible = "ServiceIneligible";
    public const string ServiceExportInvalidWeightAnnotation = "ServiceExportInvalidWeightAnnotation";
    public const string ServicePendingConflictResolution = "ServicePendingConflictResolution";
    public const string NoConflictFound = "NoConflictFound";
    public const string ConflictFound = "ConflictFound";

    // MultiClusterService
    public const string FoundServiceImport = "FoundServiceImport";
    public const string UnknownServiceImport = "UnknownServiceImport";

    // MemberCluster
    public const string Joined = "Joined";
    public const string Healthy = "Healthy";
    public const string JoinSucceeded = "JoinSucceeded";
    public const string LeaveSucceeded = "LeaveSucceeded";
    public const string HeartbeatReceived = "HeartbeatReceived";
    public const string LeaseExpired = "LeaseExpired";
}
