using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FleetL4;

public static class FleetSiloBuilderExtensions
{
    /// <summary>
    /// Registers FleetL4's grains' options (section "FleetL4", checked at start) and the clock. The host chooses
    /// clustering, grain storage "fleet", the reminder service and the load balancer provider.
    /// </summary>
    public static ISiloBuilder AddFleetL4(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddOptions<FleetOptions>().Bind(configuration.GetSection(FleetOptions.Section)).ValidateOnStart();
        silo.Services.AddSingleton<IValidateOptions<FleetOptions>, FleetOptionsValidator>();
        silo.Services.TryAddSingleton(TimeProvider.System);
        return silo;
    }
}
