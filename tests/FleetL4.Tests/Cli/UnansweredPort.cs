using System.Net;
using System.Net.Sockets;

namespace FleetL4.Tests.Cli;

/// <summary>
/// A loopback port whose connects never complete: a listener that never accepts, with its accept queue full, so
/// Linux drops further SYNs and a client waits out its connect timeout. (A port nobody listens on refuses at once,
/// which exercises no timeout.)
/// </summary>
public sealed class UnansweredPort : IDisposable
{
    private readonly Socket _listener;
    private readonly List<Socket> _queued = [];

    private UnansweredPort(Socket listener) => _listener = listener;

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    public string Url => $"http://{EndPoint}";

    public static async Task<UnansweredPort> OpenAsync()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var port = new UnansweredPort(listener);
        // Queue connections until one is left waiting: from then on the queue is full. A queued loopback connect
        // completes in microseconds, so one still pending after a second is one the kernel dropped.
        for (var i = 0; i < 64; i++)
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                await client.ConnectAsync(port.EndPoint, wait.Token);
                port._queued.Add(client);
            }
            catch (OperationCanceledException)
            {
                client.Dispose();
                return port;
            }
        }
        port.Dispose();
        throw new InvalidOperationException("the listener's accept queue never filled");
    }

    public void Dispose()
    {
        foreach (var s in _queued) s.Dispose();
        _listener.Dispose();
    }
}
