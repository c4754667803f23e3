namespace FleetL4.LoadBalancing.Azure;

/// <summary>How the hub authenticates to ARM (FleetL4:Azure:Credential).</summary>
public enum AzureCredentialKind
{
    /// <summary>DefaultAzureCredential: workload identity, managed identity, Azure CLI.</summary>
    Default,

    /// <summary>A fixed bearer token (FleetL4:Azure:StaticToken): emulators and tests only.</summary>
    StaticToken,
}
