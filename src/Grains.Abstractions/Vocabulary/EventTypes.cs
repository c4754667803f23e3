namespace FleetL4;

/// <summary>The types of a Kubernetes Event.</summary>
public static class EventTypes
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
}
