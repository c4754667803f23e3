using System.Net;
using System.Net.Sockets;
using System.Text;
using FleetL4.LoadBalancing;
using FleetL4.LoadBalancing.Local;
using FleetL4.Models;
using FleetL4.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Options;

namespace FleetL4.Tests.LocalLoadBalancing;

/// <summary>
/// The local L4 data plane through real loopback sockets. Frontends, backends and clients each get a loopback
/// block of their own (no fixed address or port), and UDP idle expiry runs on a clock the test moves: it never
/// moves unless a test says so, so a UDP flow cannot expire behind a test's back.
/// </summary>
public sealed class LocalLoadBalancerTests : IDisposable
{
    private static readonly TimeSpan UdpIdleTimeout = TimeSpan.FromSeconds(30);
    private readonly LoopbackBlock _backends = LoopbackBlock.Reserve();
    private readonly LoopbackBlock _clients = LoopbackBlock.Reserve();
    private readonly LoopbackBlock _frontends = LoopbackBlock.Reserve();
    private readonly FakeTimeProvider _clock = new();
    private readonly CountingClock _timers;
    private readonly LocalLoadBalancerProvider _provider;
    private readonly string _ip;
    private readonly int _tcpPort;
    private readonly int _udpPort;

    public LocalLoadBalancerTests()
    {
        _ip = _frontends.Address(1);
        _tcpPort = LoopbackBlock.FreePort(_ip);
        _udpPort = FreeUdpPort(_ip);
        _timers = new CountingClock(_clock);
        _provider = new(
            Options.Create(new LoadBalancingOptions { FrontendPool = _frontends.Cidr }),
            Options.Create(new LocalLoadBalancerOptions
            {
                // Probes connect to real sockets, so they run on the wall clock: short, to keep the probe test quick.
                ProbeInterval = TimeSpan.FromMilliseconds(100),
                ProbeThreshold = 2,
                ProbeTimeout = TimeSpan.FromMilliseconds(500),
                UdpIdleTimeout = UdpIdleTimeout,
            }),
            NullLogger<LocalLoadBalancerProvider>.Instance, _timers);
    }

    public void Dispose() => _provider.Dispose();

    private LoadBalancerSpec Spec(string id, IEnumerable<IdentityBackend> backends, string affinity = "None", bool udp = false)
    {
        var list = backends.ToArray();
        var backendPort = list.Length > 0 ? list[0].Port : 1;
        FrontendPort port = udp ? new(_udpPort, "UDP", backendPort) : new(_tcpPort, "TCP", backendPort);
        return new(id, _ip, false, [port], list.Select((b, i) => new Backend(i % 2 == 0 ? "east-1" : "east-2", b.Address)).ToArray(), affinity);
    }

    private Task<IdentityBackend[]> Backends(int count) =>
        IdentityBackend.OnOnePort(Enumerable.Range(1, count).Select(_backends.Address).ToArray());

    [Fact]
    public async Task A_second_balancer_cannot_take_a_frontend_address_that_is_already_served()
    {
        var backends = await Backends(1);
        await using var a = backends[0];
        await _provider.EnsureAsync(Spec("first", [a]), CancellationToken.None);
        // Another hub (a second provider) asking for the same address and port is refused, not let in beside it.
        using var other = new LocalLoadBalancerProvider(
            Options.Create(new LoadBalancingOptions { FrontendPool = _frontends.Cidr }),
            Options.Create(new LocalLoadBalancerOptions()), NullLogger<LocalLoadBalancerProvider>.Instance, TimeProvider.System);
        var refused = await Assert.ThrowsAsync<SocketException>(() => other.EnsureAsync(Spec("second", [a]), CancellationToken.None));
        Assert.Equal(SocketError.AddressAlreadyInUse, refused.SocketErrorCode);
        using var conn = await Connect();
        Assert.Equal(a.Address, await conn.ReadLine());
    }

    [Fact]
    public async Task TCP_connections_are_spread_over_backends_of_both_clusters()
    {
        var backends = await Backends(2);
        await using var a = backends[0];
        await using var b = backends[1];
        await _provider.EnsureAsync(Spec("spread", [a, b]), CancellationToken.None);

        var seen = new HashSet<string>();
        for (var i = 0; i < 40 && seen.Count < 2; i++)
        {
            using var conn = await Connect();
            seen.Add(await conn.ReadLine());
        }
        Assert.Equal([a.Address, b.Address], seen.Order());
    }

    [Fact]
    public async Task UDP_flows_reach_backends_and_replies_come_back()
    {
        var backends = await Backends(2);
        await using var a = backends[0];
        await using var b = backends[1];
        await _provider.EnsureAsync(Spec("udp", [a, b], udp: true), CancellationToken.None);

        var seen = new HashSet<string>();
        for (var i = 0; i < 40 && seen.Count < 2; i++)
        {
            using var udp = UdpClient();
            var reply = await Ask(udp, "ping");
            Assert.EndsWith(":ping", reply);
            seen.Add(reply.Split(':')[0]);
        }
        Assert.Equal([a.Address, b.Address], seen.Order());
    }

    [Fact]
    public async Task Each_UDP_flow_stays_on_one_backend_and_the_flows_use_both_backends()
    {
        var backends = await Backends(2);
        await using var a = backends[0];
        await using var b = backends[1];
        await _provider.EnsureAsync(Spec("udp-flow", [a, b], udp: true), CancellationToken.None);

        // 16 flows (one client port each), their datagrams interleaved so the flows are open side by side.
        var clients = Enumerable.Range(0, 16).Select(_ => UdpClient()).ToArray();
        try
        {
            var answers = clients.Select(_ => new HashSet<string>()).ToArray();
            for (var round = 0; round < 20; round++)
                for (var c = 0; c < clients.Length; c++)
                    answers[c].Add((await Ask(clients[c], $"m{round}")).Split(':')[0]);

            Assert.All(answers, s => Assert.Single(s));
            Assert.Equal([a.Address, b.Address], answers.Select(s => s.Single()).Distinct().Order());
            Assert.Equal(clients.Length, FlowCount("udp-flow"));
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }

    [Theory]
    [InlineData("removed")]
    [InlineData("marked down")]
    public async Task A_live_UDP_flow_moves_when_its_backend_leaves(string how)
    {
        var backends = await Backends(2);
        await using var a = backends[0];
        await using var b = backends[1];
        await _provider.EnsureAsync(Spec("udp-move", [a, b], udp: true), CancellationToken.None);
        using var udp = UdpClient();
        var first = await Ask(udp, "one");
        var (leaving, remaining) = first.StartsWith(a.Address + ":") ? (a, b) : (b, a);
        Assert.Equal(leaving.Address, (await Ask(udp, "two")).Split(':')[0]);

        // The clock stands still, so the flow is live: what follows is a move, never an idle expiry.
        if (how == "removed")
            await _provider.EnsureAsync(Spec("udp-move", [remaining], udp: true), CancellationToken.None);
        else
        {
            // A UDP-only service has no probe port: the pool is told what a failing probe would tell it.
            var pool = _provider.Find("udp-move")!.Pool;
            for (var i = 0; i < pool.ProbeThreshold; i++) pool.Report(IPAddress.Parse(leaving.Address), success: false);
            Assert.DoesNotContain(IPAddress.Parse(leaving.Address), pool.Healthy);
        }

        for (var i = 0; i < 5; i++) Assert.Equal($"{remaining.Address}:after-{i}", await Ask(udp, $"after-{i}"));
        Assert.Equal(1, FlowCount("udp-move"));
    }

    [Fact]
    public async Task An_idle_UDP_flow_expires_exactly_after_the_idle_timeout_and_activity_defers_it()
    {
        var backends = await Backends(1);
        await using var a = backends[0];
        await _provider.EnsureAsync(Spec("udp-idle", [a], udp: true), CancellationToken.None);
        using var udp = UdpClient();
        var tick = TimeSpan.FromTicks(1);

        // FakeTimeProvider runs due timer callbacks inside Advance, so each count below is read after the sweep it implies.
        await Ask(udp, "open");
        Assert.Equal(1, FlowCount("udp-idle"));
        _clock.Advance(UdpIdleTimeout - tick);
        Assert.Equal(1, FlowCount("udp-idle"));
        _clock.Advance(tick);
        Assert.Equal(0, FlowCount("udp-idle"));

        // After expiry the same client opens a new flow; a datagram half way through restarts its idle time.
        Assert.Equal($"{a.Address}:again", await Ask(udp, "again"));
        Assert.Equal(1, FlowCount("udp-idle"));
        _clock.Advance(UdpIdleTimeout / 2);
        await Ask(udp, "still-here");
        _clock.Advance(UdpIdleTimeout / 2);
        Assert.Equal(1, FlowCount("udp-idle"));
        _clock.Advance(UdpIdleTimeout / 2 - tick);
        Assert.Equal(1, FlowCount("udp-idle"));
        _clock.Advance(tick);
        Assert.Equal(0, FlowCount("udp-idle"));
    }

    [Fact]
    public async Task A_UDP_listener_without_flows_runs_no_idle_sweep()
    {
        var backends = await Backends(1);
        await using var a = backends[0];
        await _provider.EnsureAsync(Spec("udp-quiet", [a], udp: true), CancellationToken.None);
        _clock.Advance(UdpIdleTimeout * 10);
        Assert.Equal(0, _timers.Callbacks);

        // One flow: one sweep at its expiry, and none after it, however long the listener then stays idle.
        using var udp = UdpClient();
        await Ask(udp, "one");
        _clock.Advance(UdpIdleTimeout);
        Assert.Equal(0, FlowCount("udp-quiet"));
        Assert.Equal(1, _timers.Callbacks);
        _clock.Advance(UdpIdleTimeout * 10);
        Assert.Equal(1, _timers.Callbacks);
    }

    [Fact]
    public async Task A_removed_backend_gets_no_new_connections_while_an_open_one_completes()
    {
        var backends = await Backends(2);
        await using var a = backends[0];
        await using var b = backends[1];
        await _provider.EnsureAsync(Spec("drain", [a, b]), CancellationToken.None);

        // Find a connection that landed on b, then remove b from the backend set.
        Connection? onB = null;
        for (var i = 0; i < 40 && onB is null; i++)
        {
            var conn = await Connect();
            if (await conn.ReadLine() == b.Address) onB = conn; else conn.Dispose();
        }
        Assert.NotNull(onB);
        using (onB)
        {
            await _provider.EnsureAsync(Spec("drain", [a]), CancellationToken.None);
            var acceptedByB = b.Accepted;
            for (var i = 0; i < 20; i++)
            {
                using var conn = await Connect();
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
        var backends = await Backends(2);
        await using var a = backends[0];
        var b = backends[1];
        await _provider.EnsureAsync(Spec("probe", [a, b]), CancellationToken.None);
        var pool = _provider.Find("probe")!.Pool;
        Assert.Equal(2, pool.Healthy.Length);

        await b.DisposeAsync();
        await Eventually.True(() => pool.Healthy.Length == 1, "probe takes the dead backend out");
        for (var i = 0; i < 20; i++)
        {
            using var conn = await Connect();
            Assert.Equal(a.Address, await conn.ReadLine());
        }

        await using var restarted = new IdentityBackend(b.Address, b.Port);
        await Eventually.True(() => pool.Healthy.Length == 2, "probe puts the backend back");
        var seen = new HashSet<string>();
        for (var i = 0; i < 40 && seen.Count < 2; i++)
        {
            using var conn = await Connect();
            seen.Add(await conn.ReadLine());
        }
        Assert.Contains(restarted.Address, seen);
    }

    [Fact]
    public async Task ClientIP_affinity_keeps_each_client_on_one_backend_and_spreads_clients()
    {
        var backends = await Backends(3);
        await using var a = backends[0];
        await using var b = backends[1];
        await using var c = backends[2];
        await _provider.EnsureAsync(Spec("affinity", [a, b, c], affinity: "ClientIP"), CancellationToken.None);

        // 12 client addresses: all on one backend by chance is 3^-11, so a spread failure means affinity ignores the address.
        var backendOf = new Dictionary<string, string>();
        foreach (var clientIp in Enumerable.Range(1, 12).Select(_clients.Address))
        {
            var seen = new HashSet<string>();
            for (var i = 0; i < 10; i++)
            {
                using var conn = await Connect(clientIp);
                seen.Add(await conn.ReadLine());
            }
            backendOf[clientIp] = Assert.Single(seen);
        }
        Assert.True(backendOf.Values.Distinct().Count() > 1, $"every client went to {backendOf.Values.First()}");
    }

    [Fact]
    public async Task Deleting_closes_the_frontend()
    {
        var backends = await Backends(1);
        await using var a = backends[0];
        await _provider.EnsureAsync(Spec("delete-me", [a]), CancellationToken.None);
        using (var conn = await Connect()) Assert.Equal(a.Address, await conn.ReadLine());
        await _provider.DeleteAsync("delete-me", CancellationToken.None);
        await Assert.ThrowsAnyAsync<SocketException>(() => Connect());
    }

    private int FlowCount(string id) => _provider.Find(id) is { } lb ? lb.UdpFlows : -1;

    private static int FreeUdpPort(string address)
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Parse(address), 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }

    /// <summary>A UDP client on the clients' block (a port of its own: one flow) talking to the UDP frontend.</summary>
    private UdpClient UdpClient()
    {
        var udp = new UdpClient(new IPEndPoint(_clients.IP(1), 0));
        udp.Connect(_ip, _udpPort);
        return udp;
    }

    private static async Task<string> Ask(UdpClient udp, string message)
    {
        await udp.SendAsync(Encoding.ASCII.GetBytes(message));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return Encoding.ASCII.GetString((await udp.ReceiveAsync(timeout.Token)).Buffer);
    }

    /// <summary>A TCP connection to the frontend, from <paramref name="from"/> (an address of the clients' block) if given.</summary>
    private async Task<Connection> Connect(string? from = null)
    {
        var client = new TcpClient();
        try
        {
            client.Client.Bind(new IPEndPoint(IPAddress.Parse(from ?? _clients.Address(1)), 0));
            await client.ConnectAsync(_ip, _tcpPort);
            return new Connection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
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
