namespace FleetL4.Hosting;

/// <summary>How silos of the hub find each other (Hub:Clustering).</summary>
public enum HubClustering
{
    /// <summary>One silo on this machine (embedded mode).</summary>
    Localhost,

    /// <summary>Silos find each other in an Azure Table (the membership table): several silos on one machine or many.</summary>
    AzureStorage,

    /// <summary>A hub pod that takes its identity and address from the pod (Orleans Kubernetes hosting); with
    /// Hub:AzureStorage set, its membership is the Azure Table, else the pod is its own primary (one replica).</summary>
    Kubernetes,
}
