namespace FleetL4;

/// <summary>metav1.ConditionStatus values.</summary>
public static class ConditionStatuses
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";
}
