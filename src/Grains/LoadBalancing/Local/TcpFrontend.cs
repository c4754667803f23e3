using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace FleetL4.LoadBalancing.Local;

/// <summary>
/// One TCP listener of a local load balancer: each accepted connection is spliced to one backend with two
/// pumps, each reusing one pooled buffer (no allocation per read). Closing the listener stops new connections;
/// <see cref="Dispose"/> also closes the open ones.
/// </summary>
public sealed class TcpFrontend : IDisposable
{
    private readonly Socket _listener;
    private readonly BackendPool _pool;
    private readonly LocalLoadBalancerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, Socket> _open = new();
    private readonly int _port;

    public TcpFrontend(IPAddress address, int port, int backendPort, BackendPool pool, LocalLoadBalancerOptions options, ILogger logger)
    {
        _port = port;
        BackendPort = backendPort;
        _pool = pool;
        _options = options;
        _logger = logger;
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Bind(new IPEndPoint(address, port));
            _listener.Listen(1024);
        }
        catch
        {
            _listener.Dispose(); // e.g. the port is taken: the provider call fails and is retried
            throw;
        }
        _ = AcceptLoop();
    }

    public int BackendPort { get; set; }

    public int OpenConnections => _open.Count;

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                _logger.LogDebug(ex, "accept failed on port {Port}", _port);
                continue;
            }
            _ = Serve(client);
        }
    }

    private async Task Serve(Socket client)
    {
        client.NoDelay = true;
        Socket? server = null;
        try
        {
            server = await ConnectBackend((IPEndPoint)client.RemoteEndPoint!);
            if (server is null) return;
            _open[client] = server;
            var up = Pump(client, server);
            var down = Pump(server, client);
            // A reset on one side ends the connection: close both, or the other pump could wait on an idle peer forever.
            if ((await Task.WhenAny(up, down)).IsFaulted)
            {
                client.Dispose();
                server.Dispose();
            }
            await Task.WhenAll(up, down);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A peer reset or went away: both sides are closed below.
        }
        finally
        {
            _open.TryRemove(client, out _);
            client.Dispose();
            server?.Dispose();
        }
    }

    /// <summary>Connects to the chosen backend; if that fails, to the next healthy one.</summary>
    private async Task<Socket?> ConnectBackend(IPEndPoint client)
    {
        var healthy = _pool.Healthy;
        if (healthy.Length == 0) return null;
        var first = BackendSelector.Pick(healthy.Length, client, _port, udp: false, _pool.ClientIpAffinity);
        for (var attempt = 0; attempt < Math.Min(2, healthy.Length); attempt++)
        {
            var backend = healthy[(first + attempt) % healthy.Length];
            var socket = new Socket(backend.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(_options.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(backend, BackendPort), timeout.Token);
                return socket;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                _logger.LogDebug("backend {Backend}:{Port} refused a connection", backend, BackendPort);
            }
        }
        return null;
    }

    private async Task Pump(Socket from, Socket to)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_options.BufferSize);
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    // Half-close: pass the FIN on and let the other direction finish.
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Stops accepting; open connections carry on until they end.</summary>
    public void StopListening() => _listener.Dispose();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        foreach (var (client, server) in _open)
        {
            client.Dispose();
            server.Dispose();
        }
        _stop.Dispose();
    }
}
