namespace FleetL4;

/// <summary>Condition reasons, spelled as Azure Fleet spells them: users grep for these strings.</summary>
public static class ConditionReasons
{
    // ServiceExport Valid
    public const string ServiceIsValid = "ServiceIsValid";
    public const string ServiceNotFound = "ServiceNotFound";
    public const string ServiceIneligible = "ServiceIneligible";
    public const string ServiceExportInvalidWeightAnnotation = "ServiceExportInvalidWeightAnnotation";

    // ServiceExport Conflict
    public const string ServicePendingConflictResolution = "ServicePendingConflictResolution";
    public const string NoConflictFound = "NoConflictFound";
    public const string ConflictFound = "ConflictFound";

    // MultiClusterService Valid
    public const string FoundServiceImport = "FoundServiceImport";
    public const string UnknownServiceImport = "UnknownServiceImport";
    public const string InvalidSpec = "InvalidSpec";

    // MemberCluster
    public const string JoinSucceeded = "JoinSucceeded";
    public const string LeaveSucceeded = "LeaveSucceeded";
    public const string HeartbeatReceived = "HeartbeatReceived";
    public const string LeaseExpired = "LeaseExpired";
}
