namespace FleetL4.Client;

/// <summary>The hub did not answer.</summary>
public sealed class HubUnreachableException(string message, Exception inner) : Exception(message, inner);
