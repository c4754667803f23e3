using System.Globalization;
using FleetL4.LoadBalancing;
using FleetL4.Models;

namespace FleetL4.Hosting.Demo;

/// <summary>Checks section "Demo" at start (with --demo only), before anything listens.</summary>
public static class DemoOptionsValidator
{
    /// <summary>The failures, each naming its key; <paramref name="frontendPool"/> is FleetL4:FrontendPool, which the pods must stay out of.</summary>
    public static List<string> Validate(DemoOptions o, string frontendPool)
    {
        if (Prefix(o.PodNetwork) is not { } prefix)
            return [$"{DemoOptions.Section}:{nameof(o.PodNetwork)}: \"{o.PodNetwork}\" is not a /24 of 127.0.0.0/8 (e.g. 127.0.71.0/24): the pods listen on loopback addresses"];
        FrontendIpPool pool;
        try
        {
            pool = new FrontendIpPool(frontendPool);
        }
        catch (FleetValidationException)
        {
            return []; // a bad pool is FleetL4:FrontendPool's own error, reported by its validator
        }
        return SeedWalkthrough.PodHosts.Any(host => pool.Contains($"{prefix}.{host}"))
            ? [$"{DemoOptions.Section}:{nameof(o.PodNetwork)}: {o.PodNetwork} overlaps FleetL4:FrontendPool ({frontendPool}): pods and frontends would listen on the same addresses"]
            : [];
    }

    /// <summary>The first three octets of a /24 of 127.0.0.0/8 (e.g. "127.0.61"), or null.</summary>
    public static string? Prefix(string cidr)
    {
        var parts = cidr.Split('/');
        if (parts is not [var network, "24"]) return null;
        var octets = network.Split('.');
        if (octets.Length != 4 || octets[0] != "127" || octets[3] != "0") return null;
        return octets.All(x => byte.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out _)) ? network[..network.LastIndexOf('.')] : null;
    }
}
