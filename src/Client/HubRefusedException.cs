namespace FleetL4.Client;

/// <summary>The hub refused the caller: not authenticated (<c>Unauthorized</c>) or not allowed (<c>Forbidden</c>), in kubectl's words.</summary>
public sealed class HubRefusedException(string reason, string message) : Exception(message)
{
    public string Reason { get; } = reason;
}
