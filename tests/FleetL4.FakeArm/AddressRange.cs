using System.Net;
using System.Net.Sockets;

namespace FleetL4.FakeArm;

/// <summary>
/// A range of addresses handed out in order: the next address after the last one given that is not in use, so a
/// released address is given again only after the range has gone round (as a new public IP rarely gets an old one).
/// </summary>
internal sealed class AddressRange(IPAddress first, UInt128 count)
{
    private UInt128 _next;

    public AddressFamily Family => first.AddressFamily;

    /// <summary>The usable addresses of a subnet: Azure keeps the first four and, in IPv4, the last.</summary>
    public static AddressRange OfSubnet(IPNetwork prefix)
    {
        var size = UInt128.One << ((prefix.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128) - prefix.PrefixLength);
        var reserved = prefix.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? (UInt128)5 : 4;
        // IPv6 subnets are huge; a fake needs only the first 65,536.
        var usable = size <= reserved ? UInt128.Zero : UInt128.Min(size - reserved, 65_536);
        return new AddressRange(Add(prefix.BaseAddress, 4), usable);
    }

    public bool Contains(IPAddress address)
    {
        if (address.AddressFamily != Family) return false;
        var offset = ToNumber(address) - ToNumber(first);
        return ToNumber(address) >= ToNumber(first) && offset < count;
    }

    /// <summary>The next free address, or null when every one is in use.</summary>
    public IPAddress? Allocate(Func<IPAddress, bool> inUse)
    {
        for (UInt128 tried = 0; tried < count; tried++)
        {
            var candidate = Add(first, _next);
            _next = (_next + 1) % count;
            if (!inUse(candidate)) return candidate;
        }
        return null;
    }

    public static IPAddress Add(IPAddress address, UInt128 offset)
    {
        var bytes = address.GetAddressBytes();
        var value = ToNumber(address) + offset;
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xff);
            value >>= 8;
        }
        return new IPAddress(bytes);
    }

    private static UInt128 ToNumber(IPAddress address)
    {
        UInt128 value = 0;
        foreach (var b in address.GetAddressBytes()) value = (value << 8) | b;
        return value;
    }
}
