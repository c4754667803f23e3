using FleetL4.LoadBalancing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FleetL4;

public static class FleetSiloBuilderExtensions
{
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
