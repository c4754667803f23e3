namespace FleetL4;

/// <summary>Fleet's placement API (ClusterResourcePlacement, group placement.kubernetes-fleet.io), spelled once.</summary>
public static class PlacementApi
{
    public const string Group = "placement.kubernetes-fleet.io";
    public const string Version = "v1";
    public const string ApiVersion = Group + "/" + Version;
    public const string Kind = "ClusterResourcePlacement";
    public const string Plural = "clusterresourceplacements";
    public const string ShortName = "crp";

    // Condition types
    public const string Scheduled = "ClusterResourcePlacementScheduled";
    public const string Applied = "ClusterResourcePlacementApplied";

    // Reasons
    public const string SchedulingPolicyFulfilled = "SchedulingPolicyFulfilled";
    public const string SchedulingPolicyUnfulfilled = "SchedulingPolicyUnfulfilled";
    public const string ApplySucceeded = "ApplySucceeded";
    public const string ApplyFailed = "ApplyFailed";
    public const string ApplyPending = "ApplyPending";

    // Condition types and reasons per cluster (status.placementStatuses[].conditions)
    public const string ClusterScheduled = "Scheduled";
    public const string ClusterApplied = "Applied";
    public const string ScheduleSucceeded = "ScheduleSucceeded";

    // Placement types
    public const string PickAll = "PickAll";
    public const string PickN = "PickN";
    public const string PickFixed = "PickFixed";

    /// <summary>Label on every object a placement put on a member (Fleet's label on the resources of its Work).</summary>
    public const string ParentLabel = "kubernetes-fleet.io/parent-CRP";

    /// <summary>The field manager of the agent's server-side applies.</summary>
    public const string FieldManager = "fleetl4";

    public static bool IsPlacement(string apiVersion, string kind) => kind == Kind && FleetApi.GroupOf(apiVersion) == Group;
}
