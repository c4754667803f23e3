namespace FleetL4;

/// <summary>Told when a placement's status changed (the hub's Kubernetes watch writes it back to the hub's API server).</summary>
[Alias("fleetl4.IPlacementObserver")]
public interface IPlacementObserver : IGrainObserver
{
    [Orleans.Concurrency.OneWay, Alias("Changed")] Task Changed(string placement);
}
