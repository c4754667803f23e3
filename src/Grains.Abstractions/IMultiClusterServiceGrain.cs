using Orleans.Concurrency;
using FleetL4.Models;

namespace FleetL4;

/// <summary>One MultiClusterService (key: cluster/namespace/name); owns one load balancer frontend.</summary>
[Alias("fleetl4.IMultiClusterServiceGrain")]
public interface IMultiClusterServiceGrain : IGrainWithStringKey
{
    [Alias("Apply")] Task<MultiClusterServiceView> Apply(MultiClusterServiceSpec spec);
    [Alias("Delete")] Task Delete();
    /// <summary>Read-only, so it answers even while a slow provider call is in flight.</summary>
    [AlwaysInterleave, Alias("Get")] Task<MultiClusterServiceView> Get();

    /// <summary>Get, plus what the provider holds for it (for `describe`; it asks the provider, so not for polling).</summary>
    [AlwaysInterleave, Alias("Describe")] Task<MultiClusterServiceView> Describe();

    /// <summary>Backend or spec change pushed by the import.</summary>
    [OneWay, Alias("OnImportUpdate")] Task OnImportUpdate(ImportUpdate update);
}
