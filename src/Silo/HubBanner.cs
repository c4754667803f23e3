using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FleetL4.Silo;

/// <summary>Tells the operator where the hub can be reached once it is up.</summary>
public sealed class HubBanner(IOptions<HubOptions> hub, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var o = hub.Value;
            Console.WriteLine($"FleetL4 hub is up. Gateway 127.0.0.1:{o.GatewayPort} (FLEETL4_HUB), silo port {o.SiloPort}.");
            Console.WriteLine($"Orleans dashboard: {o.DashboardUrl.TrimEnd('/')}/dashboard/");
            Console.WriteLine("Press Ctrl+C to stop.");
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
