using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace FleetL4.LoadBalancing.Local;

/// <summary>
/// Active probes, like Azure Load Balancer's: every interval each backend gets a TCP connect on the probe port, or
/// with <see cref="ProbeProtocol.Http"/> a GET of the probe path answered 200-399. <see cref="LocalLoadBalancerOptions.ProbeThreshold"/>
/// consecutive failures take it out, one success puts it back (a passively ejected backend: once its period is over).
/// A TCP probe passes on a frozen process, whose kernel still completes the handshake; an HTTP probe does not.
/// </summary>
public sealed class HealthProber : IDisposable
{
    private readonly BackendPool _pool;
    private readonly LocalLoadBalancerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient? _http;

    public HealthProber(BackendPool pool, LocalLoadBalancerOptions options, ILogger logger)
    {
        _pool = pool;
        _options = options;
        _logger = logger;
        if (options.ProbeProtocol == ProbeProtocol.Http)
        {
            // Each probe on a connection of its own (a reused one could pass while new ones hang), straight to the
            // backend (never a proxy from the environment), and a redirect is an answer, not something to follow.
            _http = new HttpClient(new SocketsHttpHandler
            {
                UseProxy = false,
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.Zero,
                ConnectTimeout = options.ProbeTimeout,
            })
            { Timeout = Timeout.InfiniteTimeSpan };
        }
        _ = Loop();
    }

    /// <summary>The port probed on every backend; null when the service has no TCP port (UDP only: no probe).</summary>
    public int? ProbePort { get; set; }

    /// <summary>Whether an HTTP probe's status says the backend serves: 200-399, as the kubelet's httpGet probe.</summary>
    public static bool IsHealthyStatus(int status) => status is >= 200 and < 400;

    private async Task Loop()
    {
        using var timer = new PeriodicTimer(_options.ProbeInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
                if (ProbePort is { } port)
                    await Task.WhenAll(_pool.All.Select(b => Probe(b, port)));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task Probe(IPAddress backend, int port)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(_options.ProbeTimeout);
        bool ok;
        try
        {
            ok = _http is null ? await Connect(backend, port, timeout.Token) : await Get(_http, backend, port, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or HttpRequestException or IOException)
        {
            ok = false;
        }
        if (_stop.IsCancellationRequested) return;
        if (_pool.Report(backend, ok))
            _logger.LogInformation("Backend {Backend}:{Port} is {State}", backend, port, ok ? "healthy again" : "down (probe failed)");
    }

    private static async Task<bool> Connect(IPAddress backend, int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(backend.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(backend, port), cancellationToken);
        return true;
    }

    private async Task<bool> Get(HttpClient http, IPAddress backend, int port, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{new IPEndPoint(backend, port)}{_options.ProbePath}"));
        request.Headers.ConnectionClose = true;
        request.Headers.UserAgent.ParseAdd("fleetl4-probe");
        // The status line is the answer; the body is not read.
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return IsHealthyStatus((int)response.StatusCode);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _http?.Dispose();
    }
}
