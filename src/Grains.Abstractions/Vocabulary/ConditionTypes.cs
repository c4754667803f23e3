namespace FleetL4;

/// <summary>Condition types of Fleet's objects (ServiceExport, MultiClusterService, MemberCluster).</summary>
public static class ConditionTypes
{
    public const string Valid = "Valid";
    public const string Conflict = "Conflict";
    public const string Joined = "Joined";
    public const string Healthy = "Healthy";
}
