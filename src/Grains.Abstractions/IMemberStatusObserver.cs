using Orleans.Concurrency;
using FleetL4.Models;

namespace FleetL4;

/// <summary>Receives a member cluster's status changes (one status stream of the hub API subscribes one).</summary>
[Alias("fleetl4.IMemberStatusObserver")]
public interface IMemberStatusObserver : IGrainObserver
{
    [OneWay, Alias("Changed")] Task Changed(StatusChange change);
}
