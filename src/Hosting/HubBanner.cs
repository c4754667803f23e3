using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FleetL4.Hosting;

/// <summary>Tells the operator where the hub can be reached once it is up.</summary>
public sealed class HubBanner(IOptions<HubOptions> hub, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var o = hub.Value;
            Console.WriteLine($"FleetL4 hub is up. Hub API {o.ApiUrl.TrimEnd('/')} (--hub, FLEETL4_HUB){(o.Tls.Enabled ? ", mutual TLS" : "")}; silo port {o.SiloPort}, gateway {o.GatewayPort}.");
            Console.WriteLine(o.Dashboard ? $"Orleans dashboard: {o.DashboardUrl.TrimEnd('/')}/dashboard/" : "Orleans dashboard: off (Hub:Dashboard=false)");
            Console.WriteLine($"Health and metrics: {o.HealthUrl.TrimEnd('/')}/healthz, /readyz, /metrics");
            Console.WriteLine("Press Ctrl+C to stop.");
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
