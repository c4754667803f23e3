using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FleetL4.Benchmarks.ApplyToRoute;

/// <summary>The TCP backend behind every MCS of the run: writes a banner to each connection and closes it, so a poller
/// knows it reached the backend (not just a frontend that accepted).</summary>
public sealed class BannerBackend : IAsyncDisposable
{
    public const string Banner = "fleetl4-apply-to-route\n";
    private static readonly byte[] BannerBytes = Encoding.ASCII.GetBytes(Banner);
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public BannerBackend(IPAddress address)
    {
        _listener = new TcpListener(address, 0);
        _listener.Start();
        Endpoint = (IPEndPoint)_listener.LocalEndpoint;
        _accepting = AcceptLoop();
    }

    public IPEndPoint Endpoint { get; }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                _ = Serve(socket);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                // one failed accept; go on
            }
        }
    }

    private static async Task Serve(Socket socket)
    {
        using (socket)
        {
            try
            {
                await socket.SendAsync(BannerBytes);
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // a health probe that closed first
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
