namespace FleetL4.HubApi;

/// <summary>Who calls the hub API: a member cluster (its certificate's CN is its cluster name) or an admin.</summary>
public sealed record HubCaller(string Name, bool IsAdmin)
{
    /// <summary>Without TLS the API listens on loopback only: whoever reaches it is on the hub's machine.</summary>
    public static readonly HubCaller Loopback = new("loopback", IsAdmin: true);

    public override string ToString() => IsAdmin ? $"admin \"{Name}\"" : $"member \"{Name}\"";
}
