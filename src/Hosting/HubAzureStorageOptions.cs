namespace FleetL4.Hosting;

/// <summary>The storage account of Hub:Clustering=AzureStorage and Hub:Storage=AzureStorage (section Hub:AzureStorage).</summary>
public sealed class HubAzureStorageOptions
{
    /// <summary>A connection string (account keys, or Azurite's). Never logged.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>With DefaultAzureCredential (workload identity) instead of a connection string.</summary>
    public Uri? TableServiceUri { get; set; }

    public Uri? BlobServiceUri { get; set; }

    public bool Configured => !string.IsNullOrWhiteSpace(ConnectionString) || TableServiceUri is not null;
}
