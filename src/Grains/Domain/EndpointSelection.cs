using System.Net;
using System.Net.Sockets;
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

    /// <summary>
    /// One endpoint per address, in first-seen order. An address listed by several slices (a pod moving between
    /// slices) keeps its best state, ready over draining over not ready, as kube-proxy merges them.
    /// </summary>
    public static IReadOnlyList<EndpointInfo> Distinct(IReadOnlyList<EndpointInfo> endpoints)
    {
        // The common case has no repeats: check with one set and hand the list back as it is.
        var seen = new HashSet<string>(endpoints.Count, StringComparer.Ordinal);
        var repeats = false;
        foreach (var e in endpoints) repeats |= !seen.Add(e.Address);
        if (!repeats) return endpoints;
        var at = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<EndpointInfo>(endpoints.Count);
        foreach (var e in endpoints)
        {
            if (at.TryGetValue(e.Address, out var index))
            {
                if (Rank(e) > Rank(result[index])) result[index] = e;
                continue;
            }
            at[e.Address] = result.Count;
            result.Add(e);
        }
        return result;
    }

    public static FamilyCounts CountByFamily(IEnumerable<string> addresses)
    {
        int v4 = 0, v6 = 0;
        foreach (var a in addresses)
            if (IsIPv6(a)) v6++;
            else v4++;
        return new(v4, v6);
    }

    public static bool IsIPv6(string address) =>
        address.Contains(':') && IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6;

    private static int Rank(EndpointInfo e) => e.Ready ? 2 : TakesTraffic(e) ? 1 : 0;
}
