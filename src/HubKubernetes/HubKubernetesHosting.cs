using FleetL4.HubApi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FleetL4.HubKubernetes;

/// <summary>
/// Hosts the hub's watch of its own Kubernetes API server when Hub:Kubernetes:Watch is true (its options checked when
/// the host starts), else nothing. In a silo or beside a cluster client: it needs an <see cref="IGrainFactory"/>.
/// Register it after the silo, so that it starts after the silo and stops before it.
/// </summary>
public static class HubKubernetesHosting
{
    public static IServiceCollection AddHubKubernetesWatch(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(HubKubernetesOptions.Section);
        if (!(section.Get<HubKubernetesOptions>()?.Watch ?? false)) return services;
        services.AddOptions<HubKubernetesOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HubKubernetesOptions>, HubKubernetesOptionsValidator>());
        services.TryAddSingleton(sp => new FleetGrains(sp.GetRequiredService<IGrainFactory>()));
        services.TryAddSingleton<WatchLeadership>();
        services.AddSingleton<HubKubernetesWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<HubKubernetesWatch>());
        return services;
    }
}
