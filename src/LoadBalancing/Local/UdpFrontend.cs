using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace FleetL4.LoadBalancing.Local;

/// <summary>
/// One UDP listener of a local load balancer. Each client address/port is a flow with its own connected socket
/// to one backend, so replies find their way back; a flow idle for <see cref="LocalLoadBalancerOptions.UdpIdleTimeout"/>
/// is dropped.
/// </summary>
public sealed class UdpFrontend : Frontend
{
    private sealed class Flow(Socket socket, IPEndPoint client, IPAddress backend)
    {
        public Socket Socket { get; } = socket;
        public IPEndPoint Client { get; } = client;
        public IPAddress Backend { get; } = backend;
        public int PoolGeneration;
        public long LastActivity = Environment.TickCount64;
    }

    private readonly ConcurrentDictionary<IPEndPoint, Flow> _flows = new();
    private readonly Timer _sweeper;

    public UdpFrontend(IPAddress address, int port, int backendPort, BackendPool pool, LocalLoadBalancerOptions options, ILogger logger)
        : base(address, port, backendPort, SocketType.Dgram, ProtocolType.Udp, pool, options, logger)
    {
        var sweep = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, options.UdpIdleTimeout.Ticks / 4));
        _sweeper = new Timer(_ => Sweep(), null, sweep, sweep);
        _ = ReceiveLoop();
    }

    public int Flows => _flows.Count;

    private async Task ReceiveLoop()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var any = new IPEndPoint(Socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        try
        {
            while (!Stop.IsCancellationRequested)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await Socket.ReceiveFromAsync(buffer.AsMemory(), SocketFlags.None, any, Stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
                {
                    return; // the listener was closed
                }
                catch (SocketException)
                {
                    continue; // e.g. ICMP port unreachable from an earlier send: not fatal for a UDP listener
                }
                await Forward((IPEndPoint)received.RemoteEndPoint, buffer.AsMemory(0, received.ReceivedBytes));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Sends one datagram on the client's flow. A flow closed meanwhile (idle sweep) is opened anew once.</summary>
    private async Task Forward(IPEndPoint client, ReadOnlyMemory<byte> datagram)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            // Only when the backend set changed: is this flow's backend still in it? If not, move the flow.
            if (_flows.TryGetValue(client, out var pinned) && pinned.PoolGeneration != Pool.Generation)
            {
                if (Pool.Healthy.Contains(pinned.Backend)) pinned.PoolGeneration = Pool.Generation;
                else Close(pinned);
            }
            var flow = _flows.TryGetValue(client, out var existing) ? existing : await Open(client);
            if (flow is null) return; // no healthy backend: dropped, as a load balancer does
            flow.LastActivity = Environment.TickCount64;
            try
            {
                await flow.Socket.SendAsync(datagram, SocketFlags.None, Stop.Token);
                return;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                Close(flow);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<Flow?> Open(IPEndPoint client)
    {
        var healthy = Pool.Healthy;
        if (healthy.Length == 0) return null;
        var backend = healthy[BackendSelector.Pick(healthy.Length, client, Port, udp: true, Pool.ClientIpAffinity)];
        var socket = new Socket(backend.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(backend, BackendPort));
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
        var flow = new Flow(socket, client, backend) { PoolGeneration = Pool.Generation };
        _flows[client] = flow;
        _ = Replies(flow);
        return flow;
    }

    private async Task Replies(Flow flow)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (!Stop.IsCancellationRequested)
            {
                var read = await flow.Socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, Stop.Token);
                flow.LastActivity = Environment.TickCount64;
                try
                {
                    await Socket.SendToAsync(buffer.AsMemory(0, read), SocketFlags.None, flow.Client, Stop.Token);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
                {
                    // Linux reports on this send the ICMP error of an earlier reply (a client that went away), even
                    // on an unconnected socket: this reply was not sent, so send it again.
                    await Socket.SendToAsync(buffer.AsMemory(0, read), SocketFlags.None, flow.Client, Stop.Token);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Flow closed (idle, backend unreachable or load balancer deleted).
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Close(flow);
        }
    }

    private void Sweep()
    {
        var idleMs = (long)Options.UdpIdleTimeout.TotalMilliseconds;
        var now = Environment.TickCount64;
        foreach (var flow in _flows.Values)
            if (now - Volatile.Read(ref flow.LastActivity) > idleMs)
            {
                Logger.LogDebug("UDP flow from {Client} on port {Port} idle; dropped", flow.Client, Port);
                Close(flow);
            }
    }

    private void Close(Flow flow)
    {
        if (_flows.TryRemove(new KeyValuePair<IPEndPoint, Flow>(flow.Client, flow))) flow.Socket.Dispose();
    }

    public override void Dispose()
    {
        base.Dispose();
        _sweeper.Dispose();
        foreach (var flow in _flows.Values) Close(flow);
    }
}
