using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace FleetL4.LoadBalancing.Local;

/// <summary>
/// One UDP listener of a local load balancer. Each client address/port is a flow with its own connected socket
/// to one backend, so replies find their way back; a flow idle for <see cref="LocalLoadBalancerOptions.UdpIdleTimeout"/>
/// on <see cref="Clock"/> is dropped. The idle sweep is a one-shot timer set for the next flow's expiry, armed only
/// while flows exist: an idle listener costs no timer ticks.
/// </summary>
public sealed class UdpFrontend : Frontend
{
    private sealed class Flow(Socket socket, IPEndPoint client, IPAddress backend, long now)
    {
        public Socket Socket { get; } = socket;
        public IPEndPoint Client { get; } = client;
        public IPAddress Backend { get; } = backend;
        public int PoolGeneration;
        /// <summary>A <see cref="TimeProvider.GetTimestamp"/> of the clock, written by both directions.</summary>
        public long LastActivity = now;
    }

    private readonly ConcurrentDictionary<IPEndPoint, Flow> _flows = new();
    private readonly ITimer _sweeper;
    private readonly Lock _sweepLock = new();
    private bool _sweepArmed;

    public UdpFrontend(IPAddress address, int port, int backendPort, BackendPool pool, LocalLoadBalancerOptions options, ILogger logger,
        TimeProvider clock)
        : base(address, port, backendPort, SocketType.Dgram, ProtocolType.Udp, pool, options, logger)
    {
        Clock = clock;
        _sweeper = clock.CreateTimer(_ => Sweep(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _ = ReceiveLoop();
    }

    /// <summary>The clock of flow activity and idle expiry.</summary>
    private TimeProvider Clock { get; }

    // Flows expiring within this of each other are dropped by one sweep, so many flows do not mean many timer ticks.
    private TimeSpan SweepResolution => Options.UdpIdleTimeout / 16;

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
            Volatile.Write(ref flow.LastActivity, Clock.GetTimestamp());
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
        var flow = new Flow(socket, client, backend, Clock.GetTimestamp()) { PoolGeneration = Pool.Generation };
        _flows[client] = flow;
        ArmSweep(Options.UdpIdleTimeout);
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
                Volatile.Write(ref flow.LastActivity, Clock.GetTimestamp());
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

    /// <summary>Sets the sweep for <paramref name="due"/> from now unless it is set already (it then fires no later than a new flow's expiry).</summary>
    private void ArmSweep(TimeSpan due)
    {
        lock (_sweepLock)
        {
            if (_sweepArmed || Stop.IsCancellationRequested) return;
            _sweepArmed = true;
            _sweeper.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Drops flows idle for the timeout or longer, then sets itself for the next expiry, or stays off when no flow is left.</summary>
    private void Sweep()
    {
        var now = Clock.GetTimestamp();
        var next = Timeout.InfiniteTimeSpan;
        foreach (var flow in _flows.Values)
        {
            var left = Options.UdpIdleTimeout - Clock.GetElapsedTime(Volatile.Read(ref flow.LastActivity), now);
            if (left <= TimeSpan.Zero)
            {
                Logger.LogDebug("UDP flow from {Client} on port {Port} idle; dropped", flow.Client, Port);
                Close(flow);
            }
            else if (next == Timeout.InfiniteTimeSpan || left < next) next = left;
        }
        lock (_sweepLock)
        {
            // A flow opened during the pass (after the loop saw the map) is covered: it is in the map by now.
            _sweepArmed = false;
            if (_flows.IsEmpty || Stop.IsCancellationRequested) return;
            if (next == Timeout.InfiniteTimeSpan) next = Options.UdpIdleTimeout;
            _sweepArmed = true;
            _sweeper.Change(next < SweepResolution ? SweepResolution : next, Timeout.InfiniteTimeSpan);
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
