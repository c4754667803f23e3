namespace FleetL4;

/// <summary>The list of joined member clusters (single key <see cref="GrainKeys.Directory"/>), for listing.</summary>
[Alias("fleetl4.IFleetDirectoryGrain")]
public interface IFleetDirectoryGrain : IGrainWithStringKey
{
    [Alias("Add")] Task Add(string cluster);
    [Alias("Remove")] Task Remove(string cluster);
    [Alias("List")] Task<IReadOnlyList<string>> List();
}
