namespace FleetL4.Silo;

/// <summary>How silos of the hub find each other (Hub:Clustering).</summary>
public enum HubClustering
{
    /// <summary>One silo on this machine (embedded mode).</summary>
    Localhost,

    /// <summary>A hub pod that takes its identity and address from the pod (Orleans Kubernetes hosting).</summary>
    Kubernetes,
}
