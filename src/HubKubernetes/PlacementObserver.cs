namespace FleetL4.HubKubernetes;

/// <summary>Hears from the hub directory that a placement's status changed, and has it written back.</summary>
internal sealed class PlacementObserver(PlacementStatusWriter writer) : IPlacementObserver
{
    public Task Changed(string placement)
    {
        writer.Touch(placement);
        return Task.CompletedTask;
    }
}
