using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using FleetL4.HubApi;
using Grpc.Core;
using Grpc.Net.Client;

namespace FleetL4.Client;

/// <summary>
/// One gRPC channel per hub URL, and which one is in use: a hub that cannot be reached hands over to the next, in
/// order, and the one that answered stays in use.
/// </summary>
internal sealed class HubChannels : IDisposable
{
    private readonly GrpcChannel[] _channels;
    private int _current;

    public HubChannels(HubConnectionOptions options)
    {
        Options = options;
        var trust = options.CaFile is { } ca ? new CertificateTrust(ca) : null;
        var certificate = options.CertificateFile is { } cert ? PemCertificate.Load(cert, options.KeyFile!) : null;
        _channels = [.. options.Hubs.Select(hub => GrpcChannel.ForAddress(hub, new GrpcChannelOptions
        {
            HttpHandler = Handler(options, trust, certificate),
            MaxReceiveMessageSize = HubLimits.MaxMessageBytes,
            MaxSendMessageSize = HubLimits.MaxMessageBytes,
            DisposeHttpClient = true,
        }))];
    }

    public HubConnectionOptions Options { get; }

    public int Count => _channels.Length;

    /// <summary>The channel to try on attempt <paramref name="attempt"/> (0 = the one in use).</summary>
    public (GrpcChannel Channel, int Index) At(int attempt)
    {
        var index = (Volatile.Read(ref _current) + attempt) % _channels.Length;
        return (_channels[index], index);
    }

    public void Answered(int index) => Volatile.Write(ref _current, index);

    public string Describe() => string.Join(", ", Options.Hubs.Select(h => h.ToString().TrimEnd('/')));

    public void Dispose()
    {
        foreach (var channel in _channels) channel.Dispose();
    }

    /// <summary>Errors that mean "this hub is not there": try the next one.</summary>
    public static bool IsUnreachable(RpcException ex) => ex.StatusCode == StatusCode.Unavailable;

    private static SocketsHttpHandler Handler(HubConnectionOptions options, CertificateTrust? trust, X509Certificate2? certificate)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            EnableMultipleHttp2Connections = true,
            // A status stream idles for days: pings tell a dead hub from a quiet one.
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        if (certificate is not null) handler.SslOptions.ClientCertificates = [certificate];
        if (trust is not null)
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, errors) =>
                cert is X509Certificate2 server
                && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None // the name must match
                && trust.Check(server, CertificateTrust.ServerAuthentication) is null;
        return handler;
    }
}
