using System.Net.Sockets;
using System.Text;
using FleetL4.LoadBalancing;
using FleetL4.LoadBalancing.Local;
using FleetL4.Models;
using FleetL4.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FleetL4.Tests.LocalLoadBalancing;

/// <summary>The local L4 data plane through real loopback sockets.</summary>
public sealed class LocalLoadBalancerTests : IDisposable
{
    private const int BackendPort = 18080;
    private readonly LocalLoadBalancerProvider _provider = new(
        Options.Create(new LoadBalancingOptions { FrontendPool = "127.0.101.0/24" }),
        Options.Create(new LocalLoadBalancerOptions
        {
            ProbeInterval = TimeSpan.FromMilliseconds(100),
            ProbeThreshold = 2,
            ProbeTimeout = TimeSpan.FromMilliseconds(500),
            UdpIdleTimeout = TimeSpan.FromMilliseconds(300),
        }),
        NullLogger<LocalLoadBalancerProvider>.Instance);

    public void Dispose() => _provider.Dispose();

    private static LoadBalancerSpec Spec(string id, IEnumerable<IdentityBackend> backends, string affinity = "None", string? ip = null,
        params FrontendPort[] ports) =>
        new(id, ip, false, ports.Length == 0 ? [new FrontendPort(8080, "TCP", BackendPort)] : ports,
            backends.Select((b, i) => new Backend(i % 2 == 0 ? "east-1" : "east-2", b.Address)).ToArray(), affinity);

    [Fact]
    public async Task TCP_connections_are_spread_over_backends_of_both_clusters()
    {
        await using var a = new IdentityBackend("127.0.51.1", BackendPort);
        await using var b = new IdentityBackend("127.0.51.2", BackendPort);
        var ip = await _provider.EnsureAsync(Spec("spread", [a, b]), CancellationToken.None);

        var seen = new HashSet<string>();
        for (var i = 0; i < 40 && seen.Count < 2; i++)
        {
            using var conn = await Connect(ip, 8080);
            seen.Add(await conn.ReadLine());
        }
        Assert.Equal(["127.0.51.1", "127.0.51.2"], seen.Order());
    }

    [Fact]
    public async Task UDP_flows_reach_backends_and_replies_come_back()
    {
        await using var a = new IdentityBackend("127.0.52.1", BackendPort);
        await using var b = new IdentityBackend("127.0.52.2", BackendPort);
        var ip = await _provider.EnsureAsync(Spec("udp", [a, b], ports: new FrontendPort(5353, "UDP", BackendPort)), CancellationToken.None);

        var seen = new HashSet<string>();
        for (var i = 0; i < 40 && seen.Count < 2; i++)
        {
            using var udp = new UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            udp.Connect(ip, 5353);
            await udp.SendAsync(Encoding.ASCII.GetBytes("ping"));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var reply = Encoding.ASCII.GetString((await udp.ReceiveAsync(timeout.Token)).Buffer);
            Assert.EndsWith(":ping", reply);
            seen.Add(reply.Split(':')[0]);
        }
        Assert.Equal(["127.0.52.1", "127.0.52.2"], seen.Order());
    }

    [Fact]
    public async Task One_UDP_flow_stays_on_one_backend_and_expires_when_idle()
    {
        await using var a = new IdentityBackend("127.0.53.1", BackendPort);
        await using var b = new IdentityBackend("127.0.53.2", BackendPort);
        var ip = await _provider.EnsureAsync(Spec("udp-flow", [a, b], ports: new FrontendPort(5354, "UDP", BackendPort)), CancellationToken.None);
        using var udp = new UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        udp.Connect(ip, 5354);
        var answers = new HashSet<string>();
        for (var i = 0; i < 10; i++)
        {
            await udp.SendAsync(Encoding.ASCII.GetBytes($"m{i}"));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            answers.Add(Encoding.ASCII.GetString((await udp.ReceiveAsync(timeout.Token)).Buffer).Split(':')[0]);
        }
        Assert.Single(answers);
        var udpFrontend = _provider.Find("udp-flow")!;
        Assert.Equal([(5354, "UDP")], udpFrontend.Listeners);
        await Eventually.True(() => FlowCount("udp-flow") == 0, "idle UDP flow dropped");
    }

    [Fact]
    public async Task A_UDP_flow_moves_when_its_backend_is_removed()
    {
        await using var a = new IdentityBackend("127.0.59.1", BackendPort);
        await using var b = new IdentityBackend("127.0.59.2", BackendPort);
        var ip = await _provider.EnsureAsync(Spec("udp-move", [a, b], ports: new FrontendPort(5355, "UDP", BackendPort)), CancellationToken.None);
        using var udp = new UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        udp.Connect(ip, 5355);
        async Task<string> Ask(string m)
        {
            await udp.SendAsync(Encoding.ASCII.GetBytes(m));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return Encoding.ASCII.GetString((await udp.ReceiveAsync(timeout.Token)).Buffer).Split(':')[0];
        }
        var first = await Ask("one");
        var remaining = first == a.Address ? b : a;
        await _provider.EnsureAsync(Spec("udp-move", [remaining], ip: ip, ports: new FrontendPort(5355, "UDP", BackendPort)), CancellationToken.None);
        Assert.Equal(remaining.Address, await Ask("two"));
    }

    [Fact]
    public async Task A_removed_backend_gets_no_new_connections_while_an_open_one_completes()
    {
        await using var a = new IdentityBackend("127.0.54.1", BackendPort);
        await using var b = new IdentityBackend("127.0.54.2", BackendPort);
        var ip = await _provider.EnsureAsync(Spec("drain", [a, b]), CancellationToken.None);

        // Find a connection that landed on b, then remove b from the backend set.
        Connection? onB = null;
        for (var i = 0; i < 40 && onB is null; i++)
        {
            var conn = await Connect(ip, 8080);
            if (await conn.ReadLine() == b.Address) onB = conn; else conn.Dispose();
        }
        Assert.NotNull(onB);
        using (onB)
        {
            await _provider.EnsureAsync(Spec("drain", [a], ip: ip), CancellationToken.None);
            var acceptedByB = b.Accepted;
            for (var i = 0; i < 20; i++)
            {
                using var conn = await Connect(ip, 8080);
                Assert.Equal(a.Address, await conn.ReadLine());
            }
            Assert.Equal(acceptedByB, b.Accepted);
            // The old connection still works end to end.
            Assert.Equal($"{b.Address}:still-here", await onB.Exchange("still-here"));
        }
    }

    [Fact]
    public async Task A_dead_backend_is_taken_out_by_the_probe_and_returns_when_restarted()
    {
        await using var a = new IdentityBackend("127.0.55.1", BackendPort);
        var b = new IdentityBackend("127.0.55.2", BackendPort);
        var ip = await _provider.EnsureAsync(Spec("probe", [a, b]), CancellationToken.None);
        var pool = _provider.Find("probe")!.Pool;
        Assert.Equal(2, pool.Healthy.Length);

        await b.DisposeAsync();
        await Eventually.True(() => pool.Healthy.Length == 1, "probe takes the dead backend out");
        for (var i = 0; i < 20; i++)
        {
            using var conn = await Connect(ip, 8080);
            Assert.Equal(a.Address, await conn.ReadLine());
        }

        await using var restarted = new IdentityBackend("127.0.55.2", BackendPort);
        await Eventually.True(() => pool.Healthy.Length == 2, "probe puts the backend back");
        var seen = new HashSet<string>();
        for (var i = 0; i < 40 && seen.Count < 2; i++)
        {
            using var conn = await Connect(ip, 8080);
            seen.Add(await conn.ReadLine());
        }
        Assert.Contains(restarted.Address, seen);
    }

    [Fact]
    public async Task ClientIP_affinity_sends_one_client_to_one_backend()
    {
        await using var a = new IdentityBackend("127.0.56.1", BackendPort);
        await using var b = new IdentityBackend("127.0.56.2", BackendPort);
        await using var c = new IdentityBackend("127.0.56.3", BackendPort);
        var ip = await _provider.EnsureAsync(Spec("affinity", [a, b, c], affinity: "ClientIP"), CancellationToken.None);
        foreach (var clientIp in new[] { "127.0.57.1", "127.0.57.2", "127.0.57.3" })
        {
            var seen = new HashSet<string>();
            for (var i = 0; i < 15; i++)
            {
                using var conn = await Connect(ip, 8080, clientIp);
                seen.Add(await conn.ReadLine());
            }
            Assert.Single(seen);
        }
    }

    [Fact]
    public async Task Deleting_closes_the_frontend()
    {
        await using var a = new IdentityBackend("127.0.58.1", BackendPort);
        var ip = await _provider.EnsureAsync(Spec("delete-me", [a]), CancellationToken.None);
        using (var conn = await Connect(ip, 8080)) Assert.Equal(a.Address, await conn.ReadLine());
        await _provider.DeleteAsync("delete-me", CancellationToken.None);
        await Assert.ThrowsAnyAsync<SocketException>(() => Connect(ip, 8080));
    }

    private int FlowCount(string id) => _provider.Find(id) is { } lb ? lb.UdpFlows : -1;

    private static async Task<Connection> Connect(string ip, int port, string? from = null)
    {
        var client = new TcpClient();
        if (from is not null) client.Client.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(from), 0));
        await client.ConnectAsync(ip, port);
        return new Connection(client);
    }

    private sealed class Connection(TcpClient client) : IDisposable
    {
        private readonly StreamReader _reader = new(client.GetStream(), Encoding.ASCII);

        public async Task<string> ReadLine()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return await _reader.ReadLineAsync(timeout.Token) ?? throw new IOException("connection closed");
        }

        public async Task<string> Exchange(string line)
        {
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(line + "\n"));
            return await ReadLine();
        }

        public void Dispose() => client.Dispose();
    }
}
