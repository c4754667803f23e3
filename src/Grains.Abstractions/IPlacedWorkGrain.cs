using FleetL4.Models;

namespace FleetL4;

/// <summary>
/// What placements put on one member cluster (key: cluster name). A virtual cluster's work is applied to its
/// objects here; an agent is told on its status stream, reads it (<see cref="Get"/>), applies it with server-side
/// apply and reports back. Objects no longer placed are listed for removal until the member reports them gone.
/// </summary>
[Alias("fleetl4.IPlacedWorkGrain")]
public interface IPlacedWorkGrain : IGrainWithStringKey
{
    /// <summary>Sets one placement's work on this cluster (replacing its previous revision).</summary>
    [Alias("Place")] Task Place(PlacedWork work);

    /// <summary>The placement no longer selects this cluster: its objects are removed.</summary>
    [Alias("Unplace")] Task Unplace(string placement);

    [Alias("Get")] Task<ClusterWork> Get();

    /// <summary>The member's results (an agent's, through the hub API).</summary>
    [Alias("Report")] Task Report(ClusterWorkReport report);
}
