using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>Which endpoints take traffic.</summary>
public static class EndpointSelection
{
    /// <summary>
    /// Ready endpoints, plus serving endpoints that are terminating so that they drain instead of being cut off
    /// (EndpointSlice semantics: ready = serving and not terminating).
    /// </summary>
    public static bool TakesTraffic(EndpointInfo e) => e.Ready || (e.Serving && e.Terminating);

    /// <summary>Distinct addresses that take traffic, in report order.</summary>
    public static IReadOnlyList<string> Backends(IEnumerable<EndpointInfo> endpoints) =>
        endpoints.Where(TakesTraffic).Select(e => e.Address).Distinct(StringComparer.Ordinal).ToArray();
}
