using FleetL4.LoadBalancing.Local;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FleetL4.LoadBalancing;

public static class LoadBalancingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the provider chosen by FleetL4:Provider (unless one is registered already), with its options
    /// bound from configuration and checked at start.
    /// </summary>
    public static IServiceCollection AddLoadBalancing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LoadBalancingOptions>().Bind(configuration.GetSection(LoadBalancingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LoadBalancingOptions>, LoadBalancingOptionsValidator>();
        services.AddOptions<LocalLoadBalancerOptions>().Bind(configuration.GetSection(LocalLoadBalancerOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LocalLoadBalancerOptions>, LocalLoadBalancerOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System); // the local provider's UDP idle clock
        services.TryAddSingleton<InMemoryLoadBalancerProvider>();
        services.TryAddSingleton<LocalLoadBalancerProvider>();
        // Read at resolution: a bad Provider value fails validation at start with the key's name.
        services.TryAddSingleton<ILoadBalancerProvider>(sp => sp.GetRequiredService<IOptions<LoadBalancingOptions>>().Value.Provider switch
        {
            LoadBalancerProviderKind.InMemory => sp.GetRequiredService<InMemoryLoadBalancerProvider>(),
            LoadBalancerProviderKind.Local => sp.GetRequiredService<LocalLoadBalancerProvider>(),
            var other => throw new InvalidOperationException($"FleetL4:Provider={other} is registered by its own package (AddAzureLoadBalancing)"),
        });
        return services;
    }
}
