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
public sealed class TcpFrontend : Frontend
{
    private readonly ConcurrentDictionary<Socket, Socket> _open = new();

    public TcpFrontend(IPAddress address, int port, int backendPort, BackendPool pool, LocalLoadBalancerOptions options, ILogger logger)
        : base(address, port, backendPort, SocketType.Stream, ProtocolType.Tcp, pool, options, logger)
    {
        Socket.Listen(1024);
        _ = AcceptLoop();
    }

    public int OpenConnections => _open.Count;

    private async Task AcceptLoop()
    {
        while (!Stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await Socket.AcceptAsync(Stop.Token);
            }
            catch (Exception) when (Stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                Logger.LogDebug(ex, "accept failed on port {Port}", Port);
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
        var healthy = Pool.Healthy;
        if (healthy.Length == 0) return null;
        var first = BackendSelector.Pick(healthy.Length, client, Port, udp: false, Pool.ClientIpAffinity);
        for (var attempt = 0; attempt < Math.Min(2, healthy.Length); attempt++)
        {
            var backend = healthy[(first + attempt) % healthy.Length];
            var socket = new Socket(backend.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Stop.Token);
            timeout.CancelAfter(Options.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(backend, BackendPort), timeout.Token);
                return socket;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                Logger.LogDebug("backend {Backend}:{Port} refused a connection", backend, BackendPort);
            }
        }
        return null;
    }

    private async Task Pump(Socket from, Socket to)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Options.BufferSize);
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, Stop.Token);
                if (read == 0)
                {
                    // Half-close: pass the FIN on and let the other direction finish.
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, Stop.Token);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Stops accepting; open connections carry on until they end.</summary>
    public void StopListening() => Socket.Dispose();

    public override void Dispose()
    {
        base.Dispose();
        foreach (var (client, server) in _open)
        {
            client.Dispose();
            server.Dispose();
        }
    }
}
