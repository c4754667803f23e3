using System.Net;
using System.Net.Sockets;

namespace FleetL4.Tests.Infrastructure;

/// <summary>
/// A /24 of 127.0.0.0/8 that no other process on this machine holds while this one runs: two test runs side by side,
/// or a test run beside a <c>--demo</c> hub (which uses 127.0.x), never bind the same address. The hold is an
/// exclusive lock on a file under the temp folder, which the OS releases when the process ends however it ends.
/// Blocks come from 127.128.0.0-127.254.255.0 in random order, so a fresh run rarely even tries a held one.
/// </summary>
public sealed class LoopbackBlock
{
    private static readonly string LockFolder = Path.Combine(Path.GetTempPath(), "fleetl4-loopback");
    private static readonly List<FileStream> Held = [];

    private LoopbackBlock(int second, int third) => Prefix = $"127.{second}.{third}";

    /// <summary>The first three octets, e.g. <c>127.201.17</c>.</summary>
    public string Prefix { get; }

    /// <summary>The block as a CIDR, e.g. for <c>FleetL4:FrontendPool</c>.</summary>
    public string Cidr => $"{Prefix}.0/24";

    /// <summary>The address <paramref name="host"/> (1-254) of this block.</summary>
    public string Address(int host) =>
        host is >= 1 and <= 254 ? $"{Prefix}.{host}" : throw new ArgumentOutOfRangeException(nameof(host), host, "a host of a /24 is 1-254");

    public IPAddress IP(int host) => IPAddress.Parse(Address(host));

    /// <summary>A block of its own for the caller, held until this process exits.</summary>
    public static LoopbackBlock Reserve()
    {
        Directory.CreateDirectory(LockFolder);
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var (second, third) = (Random.Shared.Next(128, 255), Random.Shared.Next(0, 256));
            try
            {
                var held = new FileStream(Path.Combine(LockFolder, $"127.{second}.{third}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                lock (Held) Held.Add(held);
                return new LoopbackBlock(second, third);
            }
            catch (IOException)
            {
                // Another process holds it: try another.
            }
        }
        throw new InvalidOperationException($"no free loopback block under {LockFolder} after 1000 tries");
    }

    /// <summary>A TCP port free on <paramref name="address"/> at the time of asking (for a child process that cannot take port 0).</summary>
    public static int FreePort(string address = "127.0.0.1") => FreePorts(1, address)[0];

    /// <summary>
    /// <paramref name="count"/> different free TCP ports: all are held until all are chosen, since the kernel may
    /// hand out a port just released again.
    /// </summary>
    public static int[] FreePorts(int count, string address = "127.0.0.1")
    {
        var probes = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Parse(address), 0)).ToArray();
        try
        {
            foreach (var probe in probes) probe.Start();
            return [.. probes.Select(p => ((IPEndPoint)p.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var probe in probes) probe.Dispose();
        }
    }
}
