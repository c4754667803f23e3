namespace FleetL4.HubApi;

/// <summary>Bounds both ends of the hub API agree on.</summary>
public static class HubLimits
{
    /// <summary>Largest message: a batch of a few hundred exports with thousands of endpoints each.</summary>
    public const int MaxMessageBytes = 16 * 1024 * 1024;
}
