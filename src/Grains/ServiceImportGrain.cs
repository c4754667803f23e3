using Microsoft.Extensions.DependencyInjection;
using FleetL4.Runtime;
using FleetL4.Domain;
using FleetL4.Models;
using FleetL4.State;
using FleetL4.Telemetry;
using Microsoft.Extensions.Logging;

namespace FleetL4;

/// <summary>
/// The fleet-wide ServiceImport. Holds every cluster's export in an <see cref="ImportAggregate"/>, returns each
/// export its conflict verdict, and pushes backend deltas to bound MCSes one-way (it never awaits an export or
/// an MCS, so no call cycle can form). Only membership is persisted; endpoints are pulled back from the export
/// grains when it reactivates.
/// </summary>
public sealed class ServiceImportGrain(
    [PersistentState("import", StorageNames.Fleet)] IPersistentState<ServiceImportState> state,
    [FromKeyedServices(GrainClock.Key)] TimeProvider clock,
    ILogger<ServiceImportGrain> logger) : Grain, IServiceImportGrain
{
    private ImportAggregate _aggregate = null!; // built in OnActivateAsync

    // Versions start from a persisted activation counter, so that an MCS holding a version from an earlier
    // activation never mistakes a new delta for one it can apply (it asks for a snapshot instead), whatever the clocks.
    private long _version;
    private bool _stateDirty;
    private ImportSize _size = null!; // made in OnActivateAsync: its row in fleetl4.import.endpoints

    private NamespacedName? _key;

    private NamespacedName Key => _key ??= NamespacedName.Parse(this.GetPrimaryKeyString());

    private IServiceExportGrain Export(string cluster) =>
        GrainFactory.GetGrain<IServiceExportGrain>(GrainKeys.Export(new ClusterNamespacedName(cluster, Key)));

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _aggregate = new ImportAggregate(Key, state.State.Epoch);
        _size = FleetMetrics.Import(Key.ToString());
        state.State.Incarnation++;
        await state.WriteStateAsync();
        _version = state.State.Incarnation << 32;
        if (state.State.Clusters.Count == 0) return;
        var contributions = await Task.WhenAll(state.State.Clusters.Select(cluster =>
            Export(cluster).GetContribution()));
        foreach (var contribution in contributions)
            if (contribution is not null) _aggregate.Upsert(contribution);
        state.State.Clusters.IntersectWith(_aggregate.Clusters);
        _size.Set(_aggregate.BackendCount);
        logger.LogInformation("Import {Import} rebuilt from {Count} exports", this.GetPrimaryKeyString(), _aggregate.Clusters.Count);
        // Exports may have missed a verdict sent before a silo was lost; bound MCSes may hold an older set.
        foreach (var cluster in _aggregate.Clusters)
            _ = Export(cluster).OnVerdict(_aggregate.VerdictFor(cluster));
        var snapshot = Snapshot();
        foreach (var mcs in state.State.MultiClusterServices)
            _ = GrainFactory.GetGrain<IMultiClusterServiceGrain>(GrainKeys.MultiClusterService(mcs)).OnImportUpdate(snapshot);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _size?.Dispose();
        return Task.CompletedTask;
    }

    public async Task<ConflictVerdict> UpsertExport(ExportContribution contribution)
    {
        var change = _aggregate.Upsert(contribution);
        await Publish(change, state.State.Clusters.Add(contribution.Cluster) | Created());
        return _aggregate.VerdictFor(contribution.Cluster);
    }

    public async Task RemoveExport(string cluster)
    {
        var change = _aggregate.Remove(cluster);
        await Publish(change, state.State.Clusters.Remove(cluster));
    }

    public async Task<ImportUpdate> Bind(ClusterNamespacedName mcs)
    {
        if (state.State.MultiClusterServices.Add(mcs) | Created()) await state.WriteStateAsync();
        return Snapshot();
    }

    public async Task Unbind(ClusterNamespacedName mcs)
    {
        if (state.State.MultiClusterServices.Remove(mcs)) await state.WriteStateAsync();
    }

    public Task<ImportUpdate> GetSnapshot() => Task.FromResult(Snapshot());

    public Task ResendVerdict(string cluster)
    {
        if (_aggregate.Clusters.Contains(cluster))
            _ = Export(cluster).OnVerdict(_aggregate.VerdictFor(cluster));
        return Task.CompletedTask;
    }

    public Task<ServiceImportView> Get() => Task.FromResult(new ServiceImportView(
        Key.Namespace, Key.Name, _aggregate.Info, _aggregate.Describe(),
        state.State.MultiClusterServices.Order().ToArray(), _aggregate.BackendCount, state.State.CreationTimestamp, _aggregate.BackendsByFamily()));

    /// <summary>Stamps the creation time once; true when it did (the state must be written).</summary>
    private bool Created()
    {
        if (state.State.CreationTimestamp != default) return false;
        state.State.CreationTimestamp = clock.GetUtcNow();
        return true;
    }

    /// <summary>Tells exports and MCSes first (the aggregate has already changed), then persists membership; a
    /// failed write stays dirty and is retried by the next call, which the export's reminder guarantees.</summary>
    private async Task Publish(ImportChange change, bool membershipChanged)
    {
        foreach (var (cluster, verdict) in change.VerdictChanges)
            _ = Export(cluster).OnVerdict(verdict);
        if (!change.IsEmpty)
        {
            var update = new ImportUpdate(_version + 1, _version, false, _aggregate.Info, change.Added, change.Removed, change.InfoChanged);
            _version++;
            _size.Set(_aggregate.BackendCount);
            foreach (var mcs in state.State.MultiClusterServices)
                _ = GrainFactory.GetGrain<IMultiClusterServiceGrain>(GrainKeys.MultiClusterService(mcs)).OnImportUpdate(update);
        }
        if (membershipChanged || _stateDirty || state.State.Epoch != _aggregate.Epoch)
        {
            _stateDirty = true;
            state.State.Epoch = _aggregate.Epoch;
            await state.WriteStateAsync();
            _stateDirty = false;
        }
    }

    private ImportUpdate Snapshot() => new(_version, 0, true, _aggregate.Info, _aggregate.Backends(), []);
}
