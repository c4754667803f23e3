using System.Net;

namespace FleetL4.LoadBalancing.Local;

/// <summary>
/// Picks the backend of a new connection or flow: a hash of the 5-tuple spreads clients over backends (and
/// keeps one UDP flow on one backend); with ClientIP affinity only the client address is hashed, so one client
/// always lands on the same backend while the set is unchanged.
/// </summary>
public static class BackendSelector
{
    public static int Pick(int count, IPEndPoint client, int frontendPort, bool udp, bool clientIpAffinity)
    {
        if (count <= 0) return -1;
        var hash = new HashCode();
        hash.Add(client.Address);
        if (!clientIpAffinity)
        {
            hash.Add(client.Port);
            hash.Add(frontendPort);
            hash.Add(udp);
        }
        return (int)((uint)Mix(hash.ToHashCode()) % (uint)count);
    }

    // HashCode is randomized per process but stable within it; a final mix spreads nearby ports evenly.
    private static int Mix(int h)
    {
        var x = (uint)h;
        x ^= x >> 16; x *= 0x7feb352d; x ^= x >> 15; x *= 0x846ca68b; x ^= x >> 16;
        return (int)x;
    }
}
