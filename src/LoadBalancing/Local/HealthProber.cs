using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace FleetL4.LoadBalancing.Local;

/// <summary>
/// Active TCP probes, like Azure Load Balancer's: every interval each backend gets a TCP connect on the probe
/// port; <see cref="LocalLoadBalancerOptions.ProbeThreshold"/> consecutive failures take it out, one success
/// puts it back.
/// </summary>
public sealed class HealthProber : IDisposable
{
    private readonly BackendPool _pool;
    private readonly LocalLoadBalancerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();

    public HealthProber(BackendPool pool, LocalLoadBalancerOptions options, ILogger logger)
    {
        _pool = pool;
        _options = options;
        _logger = logger;
        _ = Loop();
    }

    /// <summary>The port probed on every backend; null when the service has no TCP port (UDP only: no probe).</summary>
    public int? ProbePort { get; set; }

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
        using var socket = new Socket(backend.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(_options.ProbeTimeout);
        bool ok;
        try
        {
            await socket.ConnectAsync(new IPEndPoint(backend, port), timeout.Token);
            ok = true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            ok = false;
        }
        if (_stop.IsCancellationRequested) return;
        if (_pool.Report(backend, ok))
            _logger.LogInformation("Backend {Backend}:{Port} is {State}", backend, port, ok ? "healthy again" : "down (probe failed)");
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
