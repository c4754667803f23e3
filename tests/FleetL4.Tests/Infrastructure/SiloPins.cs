using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Metadata;
using Orleans.Runtime.Placement;
using Orleans.TestingHost;

namespace FleetL4.Tests.Infrastructure;

/// <summary>
/// Test placement for FleetL4's grains: a grain pinned to a silo is activated there (while that silo is up);
/// any other is placed at random. Lets a silo-loss test kill the silo that really hosts the grains it is about,
/// instead of one that may host nothing. Every silo of a hub shares one instance (they run in one process).
/// </summary>
public sealed class SiloPins
{
    private static readonly HashSet<string> FleetGrainTypes = ["serviceexport", "serviceimport", "multiclusterservice"];
    private readonly ConcurrentDictionary<GrainId, SiloAddress> _pins = new();

    /// <summary>Registers the placement and a failure detector fast enough for tests (a killed silo is declared dead in seconds).</summary>
    public void Configure(ISiloBuilder silo)
    {
        silo.Services.AddSingleton<IPlacementStrategyResolver>(new Resolver());
        silo.Services.AddPlacementDirector<PinnedPlacement>(_ => new Director(this));
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 2;
            o.NumVotesForDeathDeclaration = 1;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
        });
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
    }

    /// <summary>The next activation of <paramref name="grain"/> goes to <paramref name="silo"/>.</summary>
    public void Pin(IAddressable grain, SiloHandle silo) => _pins[grain.GetGrainId()] = silo.SiloAddress;

    public void Clear() => _pins.Clear();

    /// <summary>
    /// Kills (ungracefully) the one silo that hosts every grain in <paramref name="grains"/>, after checking they really
    /// are there and that it is not the primary (which holds the test membership table). Pins are dropped first, so
    /// the grains reactivate wherever the cluster puts them.
    /// </summary>
    public async Task<SiloAddress> KillHostOfAsync(FleetTestCluster hub, params IAddressable[] grains)
    {
        var management = hub.Grains.GetGrain<IManagementGrain>(0);
        var hosts = new HashSet<SiloAddress?>();
        foreach (var grain in grains) hosts.Add(await management.GetActivationAddress(grain));
        var host = Assert.Single(hosts);
        Assert.NotNull(host);
        Assert.NotEqual(hub.Cluster.Silos[0].SiloAddress, host); // the first silo is the primary
        var silo = hub.Cluster.GetSiloForAddress(host)!;
        Clear();
        await hub.Cluster.KillSiloAsync(silo);
        return host;
    }

    /// <summary>
    /// Reads through a silo loss: while the cluster has not yet declared the killed silo dead, calls to grains that
    /// were on it fail or time out; those failures read as null (to poll again) instead of failing the test.
    /// </summary>
    public static async Task<T?> Tolerant<T>(Func<Task<T>> read) where T : class
    {
        try
        {
            return await read();
        }
        catch (Exception ex) when (ex is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException)
        {
            return null;
        }
    }

    private SiloAddress? Find(GrainId grain) => _pins.TryGetValue(grain, out var silo) ? silo : null;

    private sealed class PinnedPlacement : PlacementStrategy;

    private sealed class Resolver : IPlacementStrategyResolver
    {
        private readonly PinnedPlacement _strategy = new();

        public bool TryResolvePlacementStrategy(GrainType grainType, GrainProperties? properties, out PlacementStrategy result)
        {
            result = _strategy;
            var name = grainType.ToString()!;
            return FleetGrainTypes.Contains(name) || name.Contains("reminder", StringComparison.OrdinalIgnoreCase);
        }
    }

    private sealed class Director(SiloPins pins) : IPlacementDirector
    {
        public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
        {
            var silos = context.GetCompatibleSilos(target);
            // The in-memory reminder table is a grain: keep it on the oldest silo (the primary), which tests never
            // kill, or a kill would lose every reminder, which real (Azure Table) reminder storage never does.
            if (!FleetGrainTypes.Contains(target.GrainIdentity.Type.ToString()!))
                return Task.FromResult(silos.MinBy(s => s.Generation)!);
            var pinned = pins.Find(target.GrainIdentity);
            return Task.FromResult(pinned is not null && silos.Contains(pinned) ? pinned : silos[Random.Shared.Next(silos.Length)]);
        }
    }
}
