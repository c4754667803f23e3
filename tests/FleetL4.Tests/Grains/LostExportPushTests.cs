using FleetL4.Domain;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Grains;

/// <summary>A hub whose silos lose chosen messages.</summary>
public sealed class LostExportPushTests : IAsyncLifetime
{
    private readonly MessageLoss _loss = new();
    private FleetTestCluster _hub = null!;

    public async Task InitializeAsync() => _hub = await FleetTestCluster.StartAsync(configureSilo: _loss.Configure);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task An_export_whose_pushes_to_the_import_are_lost_reaches_the_import_by_its_reminder()
    {
        const string ns = "lost-push";
        var fleet = _hub.Fleet;
        var id = GrainKeys.MultiClusterService("aks-member-1", ns, "kuard");
        await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
        // The first push never reaches the import; the second does, but its reply (the verdict) is lost.
        var importKey = GrainKeys.Import(ns, "kuard");
        var requestLost = _loss.Lose<IServiceImportGrain>(nameof(IServiceImportGrain.UpsertExport), importKey, 1);
        var replyLost = _loss.Lose<IServiceImportGrain>(nameof(IServiceImportGrain.UpsertExport), importKey, 1, replyOnly: true);

        var reported = await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.76.0.1")));
        Assert.Equal(1, requestLost.Lost);
        Assert.Equal(ConditionReasons.ServicePendingConflictResolution, ConditionSet.Find(reported.Conditions, ConditionTypes.Conflict)!.Reason);
        Assert.Equal(0, (await fleet.GetServiceImportAsync(ns, "kuard")).BackendCount);

        // No further report comes: only the export's reminder (1 s here) can get the endpoints to the import.
        await _hub.WaitForBackendsAsync(id, "10.76.0.1");
        Assert.Equal(1, replyLost.Lost);
        var settled = await Eventually.Get(() => fleet.GetServiceExportAsync("aks-member-1", ns, "kuard"),
            e => ConditionSet.Find(e.Conditions, ConditionTypes.Conflict)?.Status == ConditionStatuses.False, "the export's verdict after the retries");
        Assert.Equal(ConditionReasons.NoConflictFound, ConditionSet.Find(settled.Conditions, ConditionTypes.Conflict)!.Reason);
        Assert.Equal(1, (await fleet.GetServiceImportAsync(ns, "kuard")).BackendCount);
    }
}
