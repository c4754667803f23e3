using System.Net;
using FleetL4.Models;
using System.Net.Sockets;

namespace FleetL4.LoadBalancing;

/// <summary>
/// Hands out addresses of one family from a CIDR block to load balancer ids. An id that already holds an
/// address, or asks for the one it held before (after a hub restart), gets that address back.
/// </summary>
public sealed class FrontendIpPool
{
    private readonly AddressFamily _family;
    private readonly UInt128 _first;
    private readonly UInt128 _last;
    private readonly Dictionary<string, UInt128> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<UInt128, string> _byAddress = new();
    private readonly Lock _lock = new();

    /// <param name="key">The configuration key the block came from, named in errors.</param>
    public FrontendIpPool(string cidr, AddressFamily family = AddressFamily.InterNetwork, string key = "FleetL4:FrontendPool")
    {
        _family = family;
        var v4 = family == AddressFamily.InterNetwork;
        var bits = v4 ? 32 : 128;
        // IPv4: /8 to /30 (network and broadcast skipped); IPv6: /64 to /126 (the subnet-router anycast address skipped).
        var (minPrefix, maxPrefix) = v4 ? (8, 30) : (64, 126);
        var parts = cidr.Split('/');
        // Dotted quad only: IPAddress.TryParse reads "10.20" as 10.0.0.20.
        if (parts.Length != 2 || (v4 && parts[0].Split('.').Length != 4) || !IPAddress.TryParse(parts[0], out var network)
            || network.AddressFamily != family || (!v4 && (network.ScopeId != 0 || parts[0].Contains('%')))
            || !int.TryParse(parts[1], out var prefix) || prefix < minPrefix || prefix > maxPrefix)
            throw new FleetValidationException(key, $"\"{cidr}\" is not an {(v4 ? "IPv4" : "IPv6")} CIDR block from /{minPrefix} to /{maxPrefix}");
        var hostMask = (UInt128.One << (bits - prefix)) - 1;
        var baseAddress = ToNumber(network) & ~hostMask;
        _first = baseAddress + 1;
        _last = v4 ? (baseAddress | hostMask) - 1 : baseAddress | hostMask;
    }

    public AddressFamily Family => _family;

    public int Allocated { get { lock (_lock) return _byId.Count; } }

    /// <summary>The address of <paramref name="id"/>: the one it holds, <paramref name="preferred"/> if free, else the lowest free one.</summary>
    public string Allocate(string id, string? preferred)
    {
        lock (_lock)
        {
            if (_byId.TryGetValue(id, out var held)) return ToText(held);
            if (preferred is not null && IPAddress.TryParse(preferred, out var ip) && ip.AddressFamily == _family)
            {
                var wanted = ToNumber(ip);
                if (wanted >= _first && wanted <= _last && !_byAddress.ContainsKey(wanted)) return Take(id, wanted);
            }
            for (var a = _first; a <= _last; a++)
                if (!_byAddress.ContainsKey(a)) return Take(id, a);
            throw new InvalidOperationException($"frontend pool exhausted: all {_last - _first + 1} addresses are in use");
        }
    }

    /// <summary>Gives <paramref name="address"/> (of this pool) to <paramref name="id"/>, taking it from any holder.</summary>
    public string Assign(string id, string address)
    {
        var wanted = ToNumber(IPAddress.Parse(address));
        lock (_lock)
        {
            if (_byId.Remove(id, out var had)) _byAddress.Remove(had);
            if (_byAddress.Remove(wanted, out var holder)) _byId.Remove(holder);
            return Take(id, wanted);
        }
    }

    /// <summary>Whether <paramref name="address"/> is one this pool hands out.</summary>
    public bool Contains(string address) =>
        IPAddress.TryParse(address, out var ip) && ip.AddressFamily == _family && ToNumber(ip) >= _first && ToNumber(ip) <= _last;

    public void Release(string id)
    {
        lock (_lock)
        {
            if (_byId.Remove(id, out var a)) _byAddress.Remove(a);
        }
    }

    private string Take(string id, UInt128 address)
    {
        _byId[id] = address;
        _byAddress[address] = id;
        return ToText(address);
    }

    private static UInt128 ToNumber(IPAddress ip)
    {
        UInt128 n = 0;
        foreach (var b in ip.GetAddressBytes()) n = (n << 8) | b;
        return n;
    }

    private string ToText(UInt128 a)
    {
        var bytes = new byte[_family == AddressFamily.InterNetwork ? 4 : 16];
        for (var i = bytes.Length - 1; i >= 0; i--, a >>= 8) bytes[i] = (byte)(a & 0xFF);
        return new IPAddress(bytes).ToString();
    }
}
