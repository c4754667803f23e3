using FleetL4.Domain;
using FleetL4.Models;
using FleetL4.Tests.Infrastructure;
using Orleans.TestingHost;

namespace FleetL4.Tests.Grains;

/// <summary>
/// A hub of two silos whose FleetL4 grains are placed on purpose, so that each test kills (ungracefully) the
/// secondary silo that really hosts the grains it is about.
/// </summary>
public sealed class SiloLossTests : IAsyncLifetime
{
    private readonly SiloPins _pins = new();
    private readonly MessageLoss _loss = new();
    private FleetTestCluster _hub = null!;

    public async Task InitializeAsync() => _hub = await FleetTestCluster.StartAsync(configureSilo: silo =>
    {
        _pins.Configure(silo);
        _loss.Configure(silo);
    });

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private InProcessSiloHandle Primary => _hub.Cluster.Silos[0];
    private InProcessSiloHandle Secondary => _hub.Cluster.Silos[^1];

    private IServiceExportGrain Export(string cluster, string ns) => _hub.Grains.GetGrain<IServiceExportGrain>(GrainKeys.Export(cluster, ns, "kuard"));

    [Fact]
    public async Task After_an_abrupt_kill_of_the_silo_hosting_the_MCS_the_import_and_an_export_all_are_back_and_the_load_balancer_converges()
    {
        const string ns = "silo-kill";
        var fleet = _hub.Fleet;
        var id = GrainKeys.MultiClusterService("aks-member-1", ns, "kuard");
        var mcs = _hub.Grains.GetGrain<IMultiClusterServiceGrain>(id);
        var import = _hub.Grains.GetGrain<IServiceImportGrain>(GrainKeys.Import(ns, "kuard"));
        // The MCS, the import and member-1's export on the silo that dies; member-2's export on the one that stays.
        _pins.Pin(mcs, Secondary);
        _pins.Pin(import, Secondary);
        _pins.Pin(Export("aks-member-1", ns), Secondary);
        _pins.Pin(Export("aks-member-2", ns), Primary);
        await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await fleet.JoinClusterAsync("aks-member-2", Seed.WestUs);
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.77.0.1")));
        await fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready("10.77.1.1")));
        await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
        await _hub.WaitForBackendsAsync(id, "10.77.0.1", "10.77.1.1");
        var ip = _hub.Provider.Inner.Find(id)!.FrontendIp;
        // An endpoint-only change just before the loss: written behind, so perhaps never stored.
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.77.0.1", "10.77.0.2")));

        await _pins.KillHostOfAsync(_hub, mcs, import, Export("aks-member-1", ns));

        // During the loss member-2's endpoints change (its export survives, its import does not), and member-1 resyncs
        // what it has, as an agent does after a hub hiccup. Either call may fail until the dead silo is declared dead.
        await Eventually.Get(() => SiloPins.Tolerant(() => fleet.ReportServiceExportAsync("aks-member-2",
            Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready("10.77.1.1", "10.77.1.2")))), v => v is not null, "member-2's report taken", TimeSpan.FromSeconds(30));
        await Eventually.Get(() => SiloPins.Tolerant(() => fleet.ReportServiceExportAsync("aks-member-1",
            Seed.Export(ns, Seed.T0, Seed.Ready("10.77.0.1", "10.77.0.2")))), v => v is not null, "member-1's resync taken", TimeSpan.FromSeconds(30));

        await _hub.WaitForBackendsAsync(id, "10.77.0.1", "10.77.0.2", "10.77.1.1", "10.77.1.2");
        Assert.Equal(ip, _hub.Provider.Inner.Find(id)!.FrontendIp);
        var after = await Eventually.Get(() => fleet.GetMultiClusterServiceAsync("aks-member-1", ns, "kuard"), m => m.LoadBalancerInSync, "MCS in sync");
        Assert.Equal(ip, after.ExternalIp);
        Assert.Equal("True", ConditionSet.Find(after.Conditions, ConditionTypes.Valid)!.Status);
        var imported = await fleet.GetServiceImportAsync(ns, "kuard");
        Assert.Equal(4, imported.BackendCount);
        Assert.Equal([id], imported.MultiClusterServices.Select(m => m.ToString()));
        foreach (var (cluster, endpoints) in new[] { ("aks-member-1", "10.77.0.1,10.77.0.2"), ("aks-member-2", "10.77.1.1,10.77.1.2") })
        {
            var export = await Eventually.Get(() => fleet.GetServiceExportAsync(cluster, ns, "kuard"),
                e => ConditionSet.Find(e.Conditions, ConditionTypes.Conflict)?.Status == ConditionStatuses.False, $"{cluster}'s export settled");
            Assert.True(export.Exists);
            Assert.Equal(endpoints, string.Join(",", export.Endpoints.Select(e => e.Address).Order()));
            Assert.Contains(new NamespacedName(ns, "kuard"), (await fleet.GetMemberClusterAsync(cluster)).ServiceExports);
        }
    }

    [Fact]
    public async Task A_conflict_verdict_lost_on_its_way_to_an_export_whose_silo_then_dies_is_resent_and_the_export_shows_it()
    {
        const string ns = "verdict-loss";
        var fleet = _hub.Fleet;
        var winner = Export("aks-member-1", ns);
        // The import and the newer export stay; the older export (the winner, told of the conflict one-way) dies.
        _pins.Pin(_hub.Grains.GetGrain<IServiceImportGrain>(GrainKeys.Import(ns, "kuard")), Primary);
        _pins.Pin(winner, Secondary);
        _pins.Pin(Export("aks-member-2", ns), Primary);
        await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await fleet.JoinClusterAsync("aks-member-2", Seed.EastUs);
        var first = await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.78.0.1")));
        Assert.Equal(ConditionStatuses.False, ConditionSet.Find(first.Conditions, ConditionTypes.Conflict)!.Status);

        // A newer export with other ports: the import decides a conflict; the winner's one-way verdict is lost.
        var verdictLost = _loss.Lose<IServiceExportGrain>(nameof(IServiceExportGrain.OnVerdict), GrainKeys.Export("aks-member-1", ns, "kuard"), 1);
        var loser = await fleet.ReportServiceExportAsync("aks-member-2",
            Seed.Export(ns, Seed.T0.AddSeconds(1), Seed.Ready("10.78.1.1"), Seed.Kuard(new ServicePort(null, "TCP", 9999))));
        Assert.Equal(ConditionStatuses.True, ConditionSet.Find(loser.Conditions, ConditionTypes.Conflict)!.Status);
        await Eventually.True(() => verdictLost.Lost == 1, "the winner's verdict lost");
        Assert.Equal(ConditionStatuses.False, ConditionSet.Find((await winner.Get()).Conditions, ConditionTypes.Conflict)!.Status);

        // Its silo dies before anything stored the verdict: the export comes back from storage, asks again, shows it.
        await _pins.KillHostOfAsync(_hub, winner);
        var told = await Eventually.Get(() => SiloPins.Tolerant(() => fleet.GetServiceExportAsync("aks-member-1", ns, "kuard")),
            e => e is not null && ConditionSet.Find(e.Conditions, ConditionTypes.Conflict)?.Status == ConditionStatuses.True,
            "the winner told of the conflict after its silo died", TimeSpan.FromSeconds(30));
        var conflict = ConditionSet.Find(told!.Conditions, ConditionTypes.Conflict)!;
        Assert.Equal(ConditionReasons.ConflictFound, conflict.Reason);
        Assert.Contains("this export is the oldest and is the one in use", conflict.Message, StringComparison.Ordinal);
        Assert.Contains("\"aks-member-2\"", conflict.Message, StringComparison.Ordinal);
        // The loser's verdict is unchanged.
        Assert.Equal(ConditionStatuses.True, ConditionSet.Find((await fleet.GetServiceExportAsync("aks-member-2", ns, "kuard")).Conditions, ConditionTypes.Conflict)!.Status);
    }
}
