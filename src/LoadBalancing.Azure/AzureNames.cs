using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace FleetL4.LoadBalancing.Azure;

/// <summary>
/// Names of what FleetL4 creates in Azure. An MCS's names are derived from its id alone, so a restarted hub finds
/// (adopts) what it made before instead of creating it twice. ARM names: at most 80 characters.
/// </summary>
public static partial class AzureNames
{
    /// <summary>Tag on every resource FleetL4 creates, with the MCS id (cluster/namespace/name) as value.</summary>
    public const string McsTag = "fleetl4-mcs";

    /// <summary>Prefix of every frontend, pool, probe and rule FleetL4 owns on a shared load balancer.</summary>
    public const string Prefix = "fl4-";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,59}\\z")]
    private static partial Regex LoadBalancerNamePattern();

    public static bool IsValidLoadBalancerName(string? name) => name is not null && LoadBalancerNamePattern().IsMatch(name);

    /// <summary>"fl4-&lt;cluster-ns-name, shortened&gt;-&lt;hash&gt;": readable, unique, at most 64 characters.</summary>
    public static string ForMcs(string mcsId)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(mcsId)))[..10];
        var readable = mcsId.Replace('/', '-');
        if (readable.Length > 48) readable = readable[..48].TrimEnd('-');
        return $"{Prefix}{readable}-{hash}";
    }

    public static string Probe(string mcsName, int port) => $"{mcsName}-probe-{port}";
    public static string Rule(string mcsName, string protocol, int port) => $"{mcsName}-{protocol.ToLowerInvariant()}-{port}";

    /// <summary>The MCS name a part belongs to: a frontend or pool is named after it, a probe or rule adds "-KIND-PORT".</summary>
    public static string OwnerOf(string part)
    {
        var last = part.LastIndexOf('-');
        var kind = last > 0 ? part.LastIndexOf('-', last - 1) : -1;
        return kind > 0 && int.TryParse(part.AsSpan(last + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)
               && part.AsSpan(kind + 1, last - kind - 1) is "probe" or "tcp" or "udp"
            ? part[..kind]
            : part;
    }

    /// <summary>Whether <paramref name="name"/> is one of the shared load balancers <see cref="LoadBalancer"/> names.</summary>
    public static bool IsSharedLoadBalancer(string baseName, string name)
    {
        if (!name.StartsWith(baseName, StringComparison.Ordinal)) return false;
        var rest = name.AsSpan(baseName.Length);
        if (rest.StartsWith("-internal", StringComparison.Ordinal)) rest = rest["-internal".Length..];
        return rest.IsEmpty || (rest[0] == '-' && int.TryParse(rest[1..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index >= 2);
    }

    /// <summary>The shared load balancers of one kind: NAME, NAME-2, ... (public) and NAME-internal, NAME-internal-2, ...</summary>
    public static string LoadBalancer(string baseName, bool isInternal, int index) =>
        $"{baseName}{(isInternal ? "-internal" : "")}{(index <= 1 ? "" : $"-{index}")}";
}
