using FleetL4.LoadBalancing.Azure.Arm;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FleetL4.LoadBalancing.Azure;

public static class AzureServiceCollectionExtensions
{
    /// <summary>
    /// Makes Azure Load Balancer the provider: options from "FleetL4:Azure" (checked at start), the ARM pipeline,
    /// and the grains that own the shared load balancers and the subscription's write budget.
    /// </summary>
    public static IServiceCollection AddAzureLoadBalancing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AzureOptions>().Bind(configuration.GetSection(AzureOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AzureOptions>, AzureOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new ArmGateway(
            ArmPipeline.Create(sp.GetRequiredService<IOptions<AzureOptions>>().Value),
            sp.GetRequiredService<IOptions<AzureOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AzureLoadBalancerProvider>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Balancers.OrphanSweepStartup>();
        services.AddSingleton<ILoadBalancerProvider>(sp => sp.GetRequiredService<AzureLoadBalancerProvider>());
        return services;
    }
}
