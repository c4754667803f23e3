using System.Net;
using System.Net.Sockets;
using FleetL4.Models;

namespace FleetL4.LoadBalancing;

/// <summary>
/// Hands out IPv4 addresses from a CIDR block to load balancer ids. An id that already holds an address, or
/// asks for the one it held before (after a hub restart), gets that address back.
/// </summary>
public sealed class FrontendIpPool
{
    private readonly uint _first;
    private readonly uint _last;
    private readonly Dictionary<string, uint> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, string> _byAddress = new();
    private readonly Lock _lock = new();

    public FrontendIpPool(string cidr)
    {
        var parts = cidr.Split('/');
        // Dotted quad only: IPAddress.TryParse reads "10.20" as 10.0.0.20.
        if (parts.Length != 2 || parts[0].Split('.').Length != 4 || !IPAddress.TryParse(parts[0], out var network) || network.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(parts[1], out var bits) || bits is < 8 or > 30)
            throw new FleetValidationException("FleetL4:FrontendPool", $"\"{cidr}\" is not an IPv4 CIDR block from /8 to /30");
        var mask = uint.MaxValue << (32 - bits);
        var baseAddress = ToUInt(network) & mask;
        // Skip the network and broadcast addresses, as a subnet would.
        _first = baseAddress + 1;
        _last = (baseAddress | ~mask) - 1;
    }

    public int Allocated { get { lock (_lock) return _byId.Count; } }

    /// <summary>The address of <paramref name="id"/>: the one it holds, <paramref name="preferred"/> if free, else the lowest free one.</summary>
    public string Allocate(string id, string? preferred)
    {
        lock (_lock)
        {
            if (_byId.TryGetValue(id, out var held)) return ToText(held);
            if (preferred is not null && IPAddress.TryParse(preferred, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork)
            {
                var wanted = ToUInt(ip);
                if (wanted >= _first && wanted <= _last && !_byAddress.ContainsKey(wanted)) return Take(id, wanted);
            }
            for (var a = _first; a <= _last; a++)
                if (!_byAddress.ContainsKey(a)) return Take(id, a);
            throw new InvalidOperationException($"frontend pool exhausted: all {_last - _first + 1} addresses are in use");
        }
    }

    public void Release(string id)
    {
        lock (_lock)
        {
            if (_byId.Remove(id, out var a)) _byAddress.Remove(a);
        }
    }

    private string Take(string id, uint address)
    {
        _byId[id] = address;
        _byAddress[address] = id;
        return ToText(address);
    }

    private static uint ToUInt(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }

    private static string ToText(uint a) => $"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}";
}
