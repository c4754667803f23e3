namespace FleetL4.Models;

/// <summary>The hub's grain storage refused or did not answer: the call's change was not stored (retry it).</summary>
[GenerateSerializer, Alias("fleetl4.StorageUnavailableException")]
public sealed class StorageUnavailableException(string message) : Exception(message);
