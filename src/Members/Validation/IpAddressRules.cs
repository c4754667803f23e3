using System.Net;
using System.Net.Sockets;

namespace FleetL4.Members.Validation;

/// <summary>
/// Endpoint and cluster IP addresses as Kubernetes takes them: IPv4 in dotted-quad form without leading zeros,
/// IPv6 without brackets, port or zone. IPAddress.TryParse alone also takes "12345", "010.0.0.1" or "[fd00::1]:80".
/// </summary>
public static class IpAddressRules
{
    public static bool IsIPv4(string? text) =>
        Parse(text) is { AddressFamily: AddressFamily.InterNetwork } ip && ip.ToString() == text;

    public static bool IsIPv6(string? text) =>
        Parse(text) is { AddressFamily: AddressFamily.InterNetworkV6, ScopeId: 0 } && !text!.Contains('[') && !text.Contains('%');

    public static bool IsIp(string? text) => IsIPv4(text) || IsIPv6(text);

    /// <summary>One spelling per address (fd00:0::1 and FD00::1 are fd00::1), so that repeats are found.</summary>
    public static string Canonical(string address) =>
        address.Contains(':') && IPAddress.TryParse(address, out var ip) ? ip.ToString() : address;

    private static IPAddress? Parse(string? text) => !string.IsNullOrEmpty(text) && IPAddress.TryParse(text, out var ip) ? ip : null;
}
