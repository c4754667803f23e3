using System.Net;
using System.Net.Sockets;

namespace FleetL4.Benchmarks;

/// <summary>Free TCP ports on 127.0.0.1, for listeners that cannot take port 0 themselves (configuration, child processes).</summary>
public static class LoopbackPorts
{
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
