using FleetL4.HubApi;
using FleetL4.LoadBalancing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using FleetL4.Runtime;
using Microsoft.Extensions.Time.Testing;

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
        Action<ISiloBuilder>? configureSilo = null, TimeProvider? grainClock = null)
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
            // The grains' clock, which their timers also run on (the silo's own timers stay on real time).
            if (grainClock is not null) silo.Services.AddKeyedSingleton(GrainClock.Key, grainClock);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new FleetTestCluster(cluster, provider, store) { CoalescingWindow = FastOptions(new FleetOptions(), configure).CoalescingWindow };
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
        silo.Services.Configure<FleetOptions>(o => FastOptions(o, configure));
    }

    private static FleetOptions FastOptions(FleetOptions o, Action<FleetOptions>? configure)
    {
        o.HeartbeatInterval = TimeSpan.FromHours(1);
        o.CoalescingWindow = TimeSpan.FromMilliseconds(20);
        o.ReminderPeriod = TimeSpan.FromSeconds(1);
        o.ProviderRetryMin = TimeSpan.FromMilliseconds(50);
        o.ProviderRetryMax = TimeSpan.FromMilliseconds(400);
        o.EndpointWriteBehind = TimeSpan.FromMilliseconds(200);
        configure?.Invoke(o);
        return o;
    }

    /// <summary>Waits until the provider holds exactly these backend addresses for the load balancer <paramref name="id"/>.</summary>
    public Task WaitForBackendsAsync(string id, params string[] expected) => WaitForBackendsAsync(null, id, expected);

    /// <summary>
    /// The same, moving <paramref name="clock"/> one coalescing window per look: a change that arrives inside a window
    /// is sent when the window ends, which on a test's clock is when the test says so.
    /// </summary>
    public Task WaitForBackendsAsync(FakeTimeProvider? clock, string id, params string[] expected) =>
        Eventually.Get(
            () =>
            {
                clock?.Advance(CoalescingWindow);
                return Task.FromResult(HeldBackends(id));
            },
            held => held == string.Join(",", expected.Order()),
            $"backends of {id} = [{string.Join(",", expected.Order())}]");

    /// <summary>The backend addresses the provider holds for <paramref name="id"/>, sorted and comma-separated.</summary>
    public string HeldBackends(string id) => string.Join(",", (Provider.Inner.Find(id)?.Backends ?? []).Select(b => b.Address).Order());

    private TimeSpan CoalescingWindow { get; init; }

    /// <summary>Deactivates every idle grain on every silo, as idle collection would.</summary>
    public Task DeactivateIdleGrainsAsync() =>
        Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
