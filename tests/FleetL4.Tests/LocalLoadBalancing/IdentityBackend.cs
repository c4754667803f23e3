using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FleetL4.Tests.LocalLoadBalancing;

/// <summary>
/// A backend that names itself: on TCP it writes "ADDRESS\n" to each new connection and then echoes lines;
/// on UDP it answers each datagram with "ADDRESS:payload". Stands in for a pod. TCP and UDP share one port,
/// port 0 by default (the system picks it: see <see cref="Port"/>).
/// </summary>
public sealed class IdentityBackend : IAsyncDisposable
{
    private readonly TcpListener _tcp;
    private readonly UdpClient _udp;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private int _accepted;

    public IdentityBackend(string address, int port = 0)
    {
        Address = address;
        _tcp = new TcpListener(IPAddress.Parse(address), port);
        _tcp.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _tcp.Start();
        Port = ((IPEndPoint)_tcp.LocalEndpoint).Port;
        try
        {
            _udp = new UdpClient(new IPEndPoint(IPAddress.Parse(address), Port));
        }
        catch
        {
            _tcp.Stop();
            _tcp.Dispose();
            throw;
        }
        _ = AcceptLoop();
        _ = UdpLoop();
    }

    /// <summary>
    /// Backends of one service: a load balancer sends to one backend port on every backend, so the first takes a
    /// free port and the others the same one on their addresses (tried again if some wildcard socket holds it).
    /// </summary>
    public static async Task<IdentityBackend[]> OnOnePort(params string[] addresses)
    {
        for (var attempt = 0; ; attempt++)
        {
            var started = new List<IdentityBackend>();
            try
            {
                foreach (var address in addresses) started.Add(new IdentityBackend(address, started.Count == 0 ? 0 : started[0].Port));
                return [.. started];
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < 20)
            {
                foreach (var backend in started) await backend.DisposeAsync();
            }
        }
    }

    public string Address { get; }
    public int Port { get; }
    public int Accepted => Volatile.Read(ref _accepted);

    private async Task AcceptLoop()
    {
        try
        {
            while (true)
            {
                var client = await _tcp.AcceptTcpClientAsync(_stop.Token);
                lock (_clients) _clients.Add(client);
                Interlocked.Increment(ref _accepted);
                _ = Serve(client);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested) { }
        catch (ObjectDisposedException) { }
    }

    private async Task Serve(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(Address + "\n"), _stop.Token);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{Address}:{line}\n"), _stop.Token);
        }
        catch (Exception) { }
        finally { client.Dispose(); }
    }

    private async Task UdpLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var received = await _udp.ReceiveAsync(_stop.Token);
                var reply = Encoding.ASCII.GetBytes($"{Address}:{Encoding.ASCII.GetString(received.Buffer)}");
                await _udp.SendAsync(reply, received.RemoteEndPoint, _stop.Token);
            }
            catch (System.Net.Sockets.SocketException)
            {
                // Linux reports an ICMP port-unreachable from an earlier reply (a flow the LB closed) on the next
                // receive, even on an unconnected socket: a real UDP server carries on.
            }
            catch (Exception)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _tcp.Stop();
        _tcp.Dispose();
        _udp.Dispose();
        lock (_clients) foreach (var c in _clients) c.Dispose();
        _stop.Dispose();
    }
}
