using FleetL4.LoadBalancing;
using FleetL4.LoadBalancing.Local;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FleetL4;

public static class FleetSiloBuilderExtensions
{
    /// <summary>
    /// Uses the local L4 data plane (real TCP/UDP listeners on loopback addresses) as the load balancer provider;
    /// its settings come from "FleetL4:LocalLoadBalancer".
    /// </summary>
    public static ISiloBuilder UseLocalLoadBalancer(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddOptions<LocalLoadBalancerOptions>().Bind(configuration.GetSection(LocalLoadBalancerOptions.Section));
        silo.Services.AddSingleton<LocalLoadBalancerProvider>();
        silo.Services.AddSingleton<ILoadBalancerProvider>(sp => sp.GetRequiredService<LocalLoadBalancerProvider>());
        return silo;
    }

    /// <summary>
    /// Registers FleetL4's options (section "FleetL4") and, unless the host registered another, the in-memory
    /// load balancer provider. The host chooses clustering, grain storage "fleet" and the reminder service.
    /// </summary>
    public static ISiloBuilder AddFleetL4(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddOptions<FleetOptions>().Bind(configuration.GetSection(FleetOptions.Section));
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.TryAddSingleton<InMemoryLoadBalancerProvider>();
        silo.Services.TryAddSingleton<ILoadBalancerProvider>(sp => sp.GetRequiredService<InMemoryLoadBalancerProvider>());
        return silo;
    }
}
