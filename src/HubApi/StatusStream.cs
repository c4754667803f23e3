using FleetL4.HubApi.V1;
using FleetL4.Models;
using Grpc.Core;

namespace FleetL4.HubApi;

/// <summary>
/// One member's status stream: subscribes to its cluster grain, sends a snapshot of every export and MCS view, then
/// the views that changed, read when they are sent (so a burst of changes to one object is one message, and the last
/// one always goes out). Renewing the subscription every heartbeat interval is the cluster's heartbeat; a renewal
/// that finds the subscription gone (the cluster grain moved or restarted) sends a fresh snapshot.
/// </summary>
internal sealed class StatusStream(FleetGrains fleet, string cluster, IServerStreamWriter<StatusBatch> writer, TimeProvider clock) : IMemberStatusObserver
{
    /// <summary>Objects per message: a snapshot of 10,000 exports is 20 messages.</summary>
    public const int BatchSize = 500;

    private readonly Lock _lock = new();
    private HashSet<StatusChange> _dirty = [];
    private readonly SemaphoreSlim _signal = new(0, 1);

    public Task Changed(StatusChange change)
    {
        lock (_lock) _dirty.Add(change);
        try { _signal.Release(); } catch (SemaphoreFullException) { } // already signalled
        return Task.CompletedTask;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var member = fleet.Factory.GetGrain<IMemberClusterGrain>(cluster);
        var self = fleet.Factory.CreateObjectReference<IMemberStatusObserver>(this);
        try
        {
            var watch = await member.Watch(self);
            await SendSnapshot(watch.Cluster!, ct);
            var renewAt = clock.GetUtcNow() + watch.RenewAfter;
            while (!ct.IsCancellationRequested)
            {
                var wait = renewAt - clock.GetUtcNow();
                if (wait > TimeSpan.Zero) await WaitForChange(wait, ct);
                if (clock.GetUtcNow() >= renewAt)
                {
                    watch = await member.Watch(self);
                    // On a cadence (a slow renewal does not push the next one out), never more than one behind.
                    var now = clock.GetUtcNow();
                    renewAt = renewAt + watch.RenewAfter > now ? renewAt + watch.RenewAfter : now;
                    if (watch is { Subscribed: true, Cluster: { } cluster })
                    {
                        await SendSnapshot(cluster, ct);
                        continue;
                    }
                }
                await SendChanges(ct);
            }
        }
        finally
        {
            try { await member.Unwatch(self); } catch (Exception) { /* the subscription expires by itself */ }
            fleet.Factory.DeleteObjectReference<IMemberStatusObserver>(self);
        }
    }

    /// <summary>Until something changed or <paramref name="wait"/> passed on the lease's clock (the renewal is due).</summary>
    private async Task WaitForChange(TimeSpan wait, CancellationToken ct)
    {
        using var due = new CancellationTokenSource(wait, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, due.Token);
        try
        {
            await _signal.WaitAsync(either.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
    }

    private async Task SendSnapshot(MemberClusterView view, CancellationToken ct)
    {
        lock (_lock) _dirty = []; // everything is read now; what changes from here on is read again
        var exports = await Task.WhenAll(view.ServiceExports.Select(e => fleet.GetServiceExportAsync(cluster, e.Namespace, e.Name)));
        var mcses = await Task.WhenAll(view.MultiClusterServices.Select(m => fleet.GetMultiClusterServiceAsync(cluster, m.Namespace, m.Name)));
        await Send(exports, mcses, resync: true, ct);
    }

    private async Task SendChanges(CancellationToken ct)
    {
        HashSet<StatusChange> changes;
        lock (_lock) (changes, _dirty) = (_dirty, []);
        if (changes.Count == 0) return;
        var exports = await Task.WhenAll(changes.Where(c => c.Kind == StatusKind.ServiceExport)
            .Select(c => fleet.GetServiceExportAsync(cluster, c.Object.Namespace, c.Object.Name)));
        var mcses = await Task.WhenAll(changes.Where(c => c.Kind == StatusKind.MultiClusterService)
            .Select(c => fleet.GetMultiClusterServiceAsync(cluster, c.Object.Namespace, c.Object.Name)));
        var resend = changes.Where(c => c.Kind == StatusKind.ResendServiceExport).Select(c => c.Object).ToArray();
        await Send(exports, mcses, resync: false, ct, resend, work: changes.Any(c => c.Kind == StatusKind.Work));
    }

    /// <param name="work">What placements put on the member changed (always said with a snapshot: the member may have missed it).</param>
    private async Task Send(IReadOnlyList<ServiceExportView> exports, IReadOnlyList<MultiClusterServiceView> mcses, bool resync, CancellationToken ct,
        IReadOnlyList<FleetL4.NamespacedName>? resend = null, bool work = false)
    {
        if (resend is [_, ..])
        {
            var ask = new StatusBatch();
            ask.ResendExports.AddRange(resend.Select(r => r.Wire()));
            await writer.WriteAsync(ask, ct);
        }
        var first = true;
        var e = 0;
        var m = 0;
        // A snapshot always sends one message, even when the cluster has nothing: the member then knows it is in sync.
        while (first && (resync || work) || e < exports.Count || m < mcses.Count)
        {
            var batch = new StatusBatch { Resync = resync && first, WorkChanged = first && (work || resync) };
            for (; e < exports.Count && batch.Exports.Count < BatchSize; e++) batch.Exports.Add(exports[e].Wire());
            for (; m < mcses.Count && batch.Exports.Count + batch.MultiClusterServices.Count < BatchSize; m++) batch.MultiClusterServices.Add(mcses[m].Wire());
            await writer.WriteAsync(batch, ct);
            first = false;
        }
    }
}
