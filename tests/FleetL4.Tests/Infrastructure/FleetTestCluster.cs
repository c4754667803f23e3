using FleetL4.HubApi;
using FleetL4.LoadBalancing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace FleetL4.Tests.Infrastructure;

/// <summary>
/// A hub of two in-process silos sharing one durable store and one provider, configured for fast tests
/// (1 s reminders, short retry backoff). Start it again on the same store to simulate a hub restart.
/// </summary>
public sealed class FleetTestCluster : IAsyncDisposable
{
    private FleetTestCluster(InProcessTestCluster cluster, ControllableProvider provider, SharedGrainStore store)
    {
        Cluster = cluster;
        Provider = provider;
        Store = store;
        Fleet = new FleetGrains(cluster.Client);
    }

    public InProcessTestCluster Cluster { get; }
    public ControllableProvider Provider { get; }
    public SharedGrainStore Store { get; }
    public FleetGrains Fleet { get; }
    public IGrainFactory Grains => Cluster.Client;

    public static async Task<FleetTestCluster> StartAsync(
        Action<FleetOptions>? configure = null, SharedGrainStore? store = null, ControllableProvider? provider = null, short silos = 2,
        Action<ISiloBuilder>? configureSilo = null)
    {
        store ??= new SharedGrainStore();
        provider ??= new ControllableProvider(new InMemoryLoadBalancerProvider("127.0.100.0/24"));
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<ILoadBalancerProvider>(provider);
            ConfigureFastSilo(silo, store, new ConfigurationBuilder().Build(), configure);
            configureSilo?.Invoke(silo); // e.g. a call filter that loses messages
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new FleetTestCluster(cluster, provider, store);
    }

    /// <summary>
    /// What every test hub's silos share: storage that outlives silos (and hubs), in-memory reminders with a short
    /// minimum period, FleetL4 with windows short enough for tests (a lease that never lapses by itself).
    /// </summary>
    public static void ConfigureFastSilo(ISiloBuilder silo, SharedGrainStore store, IConfiguration configuration, Action<FleetOptions>? configure = null)
    {
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Fleet,
            (sp, _) => new SharedGrainStorage(store, sp.GetRequiredService<Serializer>()));
        silo.UseInMemoryReminderService();
        silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromMilliseconds(500));
        silo.AddFleetL4(configuration);
        silo.Services.Configure<FleetOptions>(o =>
        {
            o.HeartbeatInterval = TimeSpan.FromHours(1);
            o.CoalescingWindow = TimeSpan.FromMilliseconds(20);
            o.ReminderPeriod = TimeSpan.FromSeconds(1);
            o.ProviderRetryMin = TimeSpan.FromMilliseconds(50);
            o.ProviderRetryMax = TimeSpan.FromMilliseconds(400);
            o.EndpointWriteBehind = TimeSpan.FromMilliseconds(200);
            configure?.Invoke(o);
        });
    }

    /// <summary>Waits until the provider holds exactly these backend addresses for the load balancer <paramref name="id"/>.</summary>
    public Task WaitForBackendsAsync(string id, params string[] expected) =>
        Eventually.Get(
            () => Task.FromResult(string.Join(",", (Provider.Inner.Find(id)?.Backends ?? []).Select(b => b.Address).Order())),
            held => held == string.Join(",", expected.Order()),
            $"backends of {id} = [{string.Join(",", expected.Order())}]");

    /// <summary>Deactivates every idle grain on every silo, as idle collection would.</summary>
    public Task DeactivateIdleGrainsAsync() =>
        Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
