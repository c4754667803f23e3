namespace FleetL4.Client;

/// <summary>The object asked for does not exist.</summary>
public sealed class NotFoundException(string message) : Exception(message);
