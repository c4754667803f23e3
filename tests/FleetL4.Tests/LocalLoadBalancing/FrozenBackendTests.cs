using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FleetL4.LoadBalancing;
using FleetL4.LoadBalancing.Local;
using FleetL4.Models;
using FleetL4.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace FleetL4.Tests.LocalLoadBalancing;

/// <summary>
/// A frozen backend (SIGSTOP of a real process): its kernel completes handshakes and takes the request bytes, so a
/// TCP probe passes and, before passive health, new connections kept going to it. Requests are HTTP/1.0 over a new
/// connection each, from the clients' block, through a real frontend.
/// </summary>
public sealed class FrozenBackendTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly LoopbackBlock _backends = LoopbackBlock.Reserve();
    private readonly LoopbackBlock _clients = LoopbackBlock.Reserve();
    private readonly LoopbackBlock _frontends = LoopbackBlock.Reserve();
    private readonly List<BackendProcess> _processes = [];
    private LocalLoadBalancerProvider? _provider;
    private string _ip = "";
    private int _port;
    private int _nextId;

    public Task InitializeAsync()
    {
        _ip = _frontends.Address(1);
        _port = LoopbackBlock.FreePort(_ip);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _provider?.Dispose();
        foreach (var process in _processes) await process.DisposeAsync(); // CONT, then kill
    }

    [Fact]
    public async Task Passive_health_takes_a_frozen_backend_out_within_seconds_and_the_probe_readmits_it_after_SIGCONT()
    {
        var (frozen, healthy) = await TwoBackends();
        // The defaults, but for a short probe interval so the readmission is quick: a TCP probe passes a frozen
        // backend anyway, so it plays no part in taking it out.
        var options = new LocalLoadBalancerOptions { ProbeInterval = TimeSpan.FromSeconds(1) };
        var pool = await Serve("frozen", options, frozen, healthy);
        await BothServe(frozen, healthy);
        var frozenIp = IPAddress.Parse(frozen.Address);
        var handledBefore = frozen.Paths.Length;

        var clock = Stopwatch.StartNew();
        await frozen.Freeze();
        // Four clients sending requests back to back, as a service with traffic has.
        var sentAt = new ConcurrentDictionary<int, TimeSpan>();
        var answers = new ConcurrentBag<(string Backend, TimeSpan Took)>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var id = Interlocked.Increment(ref _nextId);
                sentAt[id] = clock.Elapsed;
                answers.Add(await Get(id));
            }
        })).ToArray();
        await Eventually.True(() => !pool.Healthy.Contains(frozenIp), "passive health takes the frozen backend out", TimeSpan.FromSeconds(30));
        var ejectedAfter = clock.Elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        // Every request was answered, all by the healthy backend: those that met the frozen one were tried again.
        Assert.All(answers, a => Assert.Equal(healthy.Address, a.Backend));
        var retried = answers.Count(a => a.Took >= options.PassiveTimeout);
        Assert.True(pool.IsEjected(frozenIp), "taken out by passive health, not by the probe");
        // From now on no connection waits for the frozen backend: each is answered far below the passive timeout.
        var after = new List<TimeSpan>();
        for (var i = 0; i < 20; i++)
        {
            var (backend, took) = await Get(Interlocked.Increment(ref _nextId));
            Assert.Equal(healthy.Address, backend);
            after.Add(took);
        }
        var lastFrozenPhaseId = Volatile.Read(ref _nextId);

        await frozen.Resume();
        var resumedAt = clock.Elapsed;
        await Eventually.True(() => pool.Healthy.Contains(frozenIp), "the probe readmits the backend after the ejection period", TimeSpan.FromSeconds(40));
        var readmittedAfter = clock.Elapsed - resumedAt;
        // A new request reaches it. It handles one request at a time in arrival order, so by then it has worked off
        // every connection that queued while it was frozen: those show which requests were sent to it, and when.
        await Eventually.Get(() => Get(Interlocked.Increment(ref _nextId)), a => a.Backend == frozen.Address, "a request reaches the resumed backend");
        var queued = frozen.Paths[handledBefore..].Select(Id).Where(id => id > 0 && id <= lastFrozenPhaseId).ToArray();
        var lastSentToFrozen = queued.Length == 0 ? TimeSpan.Zero : queued.Max(id => sentAt.GetValueOrDefault(id));

        output.WriteLine($"frozen backend taken out {ejectedAfter.TotalSeconds:0.00} s after SIGSTOP (defaults: PassiveTimeout {options.PassiveTimeout.TotalSeconds} s, PassiveFailures {options.PassiveFailures})");
        output.WriteLine($"last request sent to it {lastSentToFrozen.TotalSeconds:0.00} s after SIGSTOP; {queued.Length} requests met it, {retried} of {answers.Count} waited for the passive timeout and were answered by the other backend");
        output.WriteLine($"after the ejection: {after.Count} requests, slowest {after.Max().TotalMilliseconds:0} ms; readmitted {readmittedAfter.TotalSeconds:0.00} s after SIGCONT (ejection {options.PassiveEjection.TotalSeconds} s)");
        Assert.NotEmpty(queued); // the freeze was real: requests went to the frozen backend until it was taken out
        Assert.True(ejectedAfter < TimeSpan.FromSeconds(6), $"taken out after {ejectedAfter}; before passive health, ~18 s");
        Assert.All(queued, id => Assert.True(sentAt[id] <= ejectedAfter, $"request {id} went to the frozen backend {sentAt[id]} after SIGSTOP, after it was taken out ({ejectedAfter})"));
        Assert.All(after, took => Assert.True(took < options.PassiveTimeout, $"a request after the ejection took {took}: it met the frozen backend"));
    }

    [Fact]
    public async Task An_HTTP_probe_takes_a_frozen_backend_out_without_traffic_and_puts_it_back_after_SIGCONT()
    {
        var (frozen, healthy) = await TwoBackends();
        var options = new LocalLoadBalancerOptions
        {
            ProbeProtocol = ProbeProtocol.Http,
            ProbePath = "/healthz?from=lb",
            ProbeInterval = TimeSpan.FromMilliseconds(500),
            ProbeTimeout = TimeSpan.FromMilliseconds(500),
            PassiveFailures = 0, // the probe alone
        };
        var pool = await Serve("http-probe", options, frozen, healthy);
        await Eventually.True(() => frozen.Paths.Contains("/healthz?from=lb"), "the probe GETs its path");
        var frozenIp = IPAddress.Parse(frozen.Address);

        var clock = Stopwatch.StartNew();
        await frozen.Freeze();
        await Eventually.True(() => !pool.Healthy.Contains(frozenIp), "the HTTP probe takes the frozen backend out", TimeSpan.FromSeconds(30));
        var downAfter = clock.Elapsed;
        Assert.False(pool.IsEjected(frozenIp));
        for (var i = 0; i < 10; i++) Assert.Equal(healthy.Address, (await Get(Interlocked.Increment(ref _nextId))).Backend);

        await frozen.Resume();
        var resumedAt = clock.Elapsed;
        await Eventually.True(() => pool.Healthy.Contains(frozenIp), "the HTTP probe puts the backend back", TimeSpan.FromSeconds(30));
        output.WriteLine($"HTTP probe ({options.ProbeInterval.TotalMilliseconds} ms interval, {options.ProbeTimeout.TotalMilliseconds} ms timeout, threshold {options.ProbeThreshold}): down {downAfter.TotalSeconds:0.00} s after SIGSTOP, back {(clock.Elapsed - resumedAt).TotalSeconds:0.00} s after SIGCONT");
        Assert.True(downAfter < TimeSpan.FromSeconds(6), $"down after {downAfter}");
        await BothServe(frozen, healthy);
    }

    [Fact]
    public async Task An_HTTP_probe_takes_out_backends_that_answer_an_error_status_on_its_path()
    {
        var (a, b) = await TwoBackends();
        var http = await Serve("http-503", new LocalLoadBalancerOptions
        {
            ProbeProtocol = ProbeProtocol.Http,
            ProbePath = "/fail",
            ProbeInterval = TimeSpan.FromMilliseconds(200),
        }, a, b);
        await Eventually.True(() => http.Healthy.Length == 0, "both backends answer 503 on the probe path: out");
        Assert.Contains("/fail", a.Paths);
    }

    [Fact]
    public async Task An_upload_the_backend_reads_to_the_end_before_answering_is_not_timed_as_a_frozen_backend()
    {
        var (a, b) = await TwoBackends();
        var options = new LocalLoadBalancerOptions();
        var pool = await Serve("upload", options, a, b);
        // 1 MiB bodies: far more than one buffer, so the balancer holds most of it back while it waits for an answer.
        var body = new string('x', 1024 * 1024);
        for (var i = 0; i < 6; i++)
        {
            var watch = Stopwatch.StartNew();
            var response = await Exchange($"POST /?id={Interlocked.Increment(ref _nextId)} HTTP/1.0\r\nContent-Length: {body.Length}\r\n\r\n{body}");
            Assert.StartsWith("HTTP/1.0 200", response);
            Assert.True(watch.Elapsed < options.PassiveTimeout, $"an upload took {watch.Elapsed}: timed as unanswered");
        }
        Assert.Equal(2, pool.Healthy.Length);
    }

    private async Task<(BackendProcess, BackendProcess)> TwoBackends()
    {
        var started = await BackendProcess.OnOnePort(_backends.Address(1), _backends.Address(2));
        _processes.AddRange(started);
        return (started[0], started[1]);
    }

    private async Task<BackendPool> Serve(string id, LocalLoadBalancerOptions options, params BackendProcess[] backends)
    {
        Assert.True(new LocalLoadBalancerOptionsValidator().Validate(null, options).Succeeded);
        _provider?.Dispose();
        _provider = new LocalLoadBalancerProvider(
            Options.Create(new LoadBalancingOptions { FrontendPool = _frontends.Cidr }), Options.Create(options),
            NullLogger<LocalLoadBalancerProvider>.Instance, TimeProvider.System);
        var spec = new LoadBalancerSpec(id, _ip, false, [new FrontendPort(_port, "TCP", backends[0].Port)],
            backends.Select(b => new Backend("east-1", b.Address)).ToArray(), "None");
        await _provider.EnsureAsync(spec, CancellationToken.None);
        return _provider.Find(id)!.Pool;
    }

    private async Task BothServe(BackendProcess a, BackendProcess b)
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < 60 && seen.Count < 2; i++) seen.Add((await Get(Interlocked.Increment(ref _nextId))).Backend);
        Assert.Equal([a.Address, b.Address], seen.Order());
    }

    /// <summary>GET /?id=<paramref name="id"/> over a new connection: which backend answered, and how long it took.</summary>
    private async Task<(string Backend, TimeSpan Took)> Get(int id)
    {
        var watch = Stopwatch.StartNew();
        var response = await Exchange($"GET /?id={id} HTTP/1.0\r\n\r\n");
        Assert.StartsWith("HTTP/1.0 200", response);
        return (response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..], watch.Elapsed);
    }

    /// <summary>Sends <paramref name="request"/> over a new connection from the clients' block and reads the answer to its end.</summary>
    private async Task<string> Exchange(string request)
    {
        using var client = new TcpClient();
        client.Client.Bind(new IPEndPoint(_clients.IP(1), 0));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await client.ConnectAsync(_ip, _port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadToEndAsync(timeout.Token);
    }

    private static int Id(string path) =>
        path.StartsWith("/?id=", StringComparison.Ordinal) && int.TryParse(path["/?id=".Length..], out var id) ? id : 0;
}
