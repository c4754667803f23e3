using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace FleetL4.LoadBalancing.Local;

/// <summary>What a TCP and a UDP listener of a local load balancer share: the bound socket, the backends and the stop signal.</summary>
public abstract class Frontend : IDisposable
{
    private const int LinuxSolSocket = 1;
    private const int LinuxSoReuseAddr = 2;

    protected Frontend(IPAddress address, int port, int backendPort, SocketType socketType, ProtocolType protocol,
        BackendPool pool, LocalLoadBalancerOptions options, ILogger logger)
    {
        Port = port;
        BackendPort = backendPort;
        Pool = pool;
        Options = options;
        Logger = logger;
        Socket = new Socket(address.AddressFamily, socketType, protocol);
        try
        {
            // Rebind at once after a restart despite TIME_WAIT connections. Only SO_REUSEADDR: .NET's ReuseAddress
            // also sets SO_REUSEPORT on Linux, which let a second hub bind the same frontend and split its traffic.
            if (socketType == SocketType.Stream && OperatingSystem.IsLinux())
                Socket.SetRawSocketOption(LinuxSolSocket, LinuxSoReuseAddr, BitConverter.GetBytes(1));
            Socket.Bind(new IPEndPoint(address, port));
        }
        catch
        {
            Socket.Dispose(); // e.g. the port is taken: the provider call fails and is retried
            throw;
        }
    }

    /// <summary>The listening (TCP) or receiving (UDP) socket, bound to the frontend address and port.</summary>
    protected Socket Socket { get; }
    protected int Port { get; }
    protected BackendPool Pool { get; }
    protected LocalLoadBalancerOptions Options { get; }
    protected ILogger Logger { get; }
    protected CancellationTokenSource Stop { get; } = new();

    /// <summary>The port traffic goes to on each backend; changes apply to new connections and flows.</summary>
    public int BackendPort { get; set; }

    public virtual void Dispose()
    {
        Stop.Cancel();
        Socket.Dispose();
        GC.SuppressFinalize(this);
    }
}
