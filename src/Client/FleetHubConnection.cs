using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FleetL4.Client;

/// <summary>
/// A connection to a hub's Orleans gateway. Orleans clients retry for minutes when no gateway answers; this one
/// gives up after <c>timeout</c> with a message that says where it tried, so tools fail fast instead of hanging.
/// </summary>
public sealed class FleetHubConnection : IAsyncDisposable
{
    public const string DefaultHub = "127.0.0.1:30000";
    public const string HubEnvironmentVariable = "FLEETL4_HUB";

    private readonly IHost _host;

    private FleetHubConnection(IHost host, string hub)
    {
        _host = host;
        Hub = hub;
        Fleet = new FleetClient(host.Services.GetRequiredService<IClusterClient>());
    }

    public string Hub { get; }
    public FleetClient Fleet { get; }

    /// <summary>The hub address to use: the given one, else FLEETL4_HUB, else 127.0.0.1:30000.</summary>
    public static string Resolve(string? hub) =>
        !string.IsNullOrWhiteSpace(hub) ? hub
        : Environment.GetEnvironmentVariable(HubEnvironmentVariable) is { Length: > 0 } env ? env
        : DefaultHub;

    public static async Task<FleetHubConnection> ConnectAsync(string hub, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var endpoint = ParseEndpoint(hub);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(endpoint);
            // Hub calls are short; after a hub restart a call lost in flight should fail (and be retried) in seconds.
            client.Configure<Orleans.Configuration.ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
        });
        var host = builder.Build();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await host.StartAsync(deadline.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException || deadline.IsCancellationRequested)
        {
            host.Dispose();
            throw new HubUnreachableException($"cannot reach the FleetL4 hub at {hub} within {timeout.TotalSeconds:0} s; is it running? (set --hub or {HubEnvironmentVariable})", ex);
        }
        catch (Exception ex)
        {
            host.Dispose();
            throw new HubUnreachableException($"cannot connect to the FleetL4 hub at {hub}: {ex.Message}", ex);
        }
        return new FleetHubConnection(host, hub);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await _host.StopAsync(stop.Token); } catch (OperationCanceledException) { }
        _host.Dispose();
    }

    private static IPEndPoint ParseEndpoint(string hub)
    {
        var colon = hub.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hub[(colon + 1)..], out var port) || port is < 1 or > 65535)
            throw new ArgumentException($"hub address \"{hub}\" must be HOST:PORT", nameof(hub));
        var host = hub[..colon].Trim('[', ']');
        if (IPAddress.TryParse(host, out var ip)) return new IPEndPoint(ip, port);
        var addresses = Dns.GetHostAddresses(host);
        if (addresses.Length == 0) throw new ArgumentException($"hub host \"{host}\" does not resolve", nameof(hub));
        return new IPEndPoint(addresses[0], port);
    }
}
