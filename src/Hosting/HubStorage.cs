namespace FleetL4.Hosting;

/// <summary>Where grain state and reminders live (Hub:Storage).</summary>
public enum HubStorage
{
    /// <summary>In the silo's memory: lost when the hub stops (embedded mode).</summary>
    Memory,

    /// <summary>Grain state in Azure Blob Storage, reminders in Azure Table Storage: survives every silo.</summary>
    AzureStorage,
}
