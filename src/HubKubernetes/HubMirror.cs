using System.Collections.Concurrent;
using System.Threading.Channels;
using FleetL4.HubApi;
using FleetL4.KubernetesWatch;
using FleetL4.Models;
using Microsoft.Extensions.Logging;

namespace FleetL4.HubKubernetes;

/// <summary>
/// Applies what the watches see to the hub, one change after another in the order they were seen: an added or
/// changed object is applied (<see cref="FleetGrains.ApplyManifestsAsync"/>, the hub's own objects) unless only
/// its status or the API server's bookkeeping changed (<see cref="HubManifest"/>: the same manifest), a deleted
/// one is deleted, and after each list the hub's objects of that kind that the API server no longer has are
/// deleted (the API server is the source of truth). A refused object is logged and gets a Warning Event; a refused
/// placement also shows it in its status. When the hub fails otherwise (a silo going away), the objects are
/// applied again later from what the watch shows then, not from the change that failed, so nothing waits behind
/// them and nothing older overwrites something newer.
/// </summary>
public sealed class HubMirror(FleetGrains fleet, WatchScope scope, PlacementStatusWriter status, RefusalEvents events, HubKubernetesOptions options, ILogger logger)
{
    private const int BatchSize = 100;

    private abstract record Work;
    private sealed record Changes(HubKind Kind, IReadOnlyList<WatchChange<UnstructuredObject>> List) : Work;
    private sealed record Resync(HubKind Kind, NamespacedName Key) : Work;
    private sealed record Prune(HubKind Kind, string? Namespace, IReadOnlySet<NamespacedName> Listed) : Work;

    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    // What the watches show now, by kind and key, for applying again after a failure.
    private readonly ConcurrentDictionary<(HubKind Kind, NamespacedName Key), UnstructuredObject> _latest = new();
    private readonly Backoff _backoff = new(options.BackoffMin, options.BackoffMax);

    /// <summary>A watch's changes, as its callback gets them.</summary>
    public void OnChanges(HubKind kind, IReadOnlyList<WatchChange<UnstructuredObject>> changes)
    {
        foreach (var c in changes)
        {
            if (c.New is { } now) _latest[(kind, c.Key)] = now;
            else _latest.TryRemove((kind, c.Key), out _);
            if (kind != HubKinds.Placements) continue;
            if (c.New is { } placement) status.Seen(placement);
            else status.Gone(c.Key.Name);
        }
        _queue.Writer.TryWrite(new Changes(kind, changes));
    }

    /// <summary>A list of a kind (in one namespace, or all) came back: the hub keeps only what it holds.</summary>
    public void OnListed(HubKind kind, string? ns, IReadOnlyList<UnstructuredObject> items) =>
        _queue.Writer.TryWrite(new Prune(kind, ns, items.Select(Key).ToHashSet()));

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var work in _queue.Reader.ReadAllAsync(ct))
            {
                switch (work)
                {
                    case Changes c:
                        await Take(c.Kind, c.List, ct);
                        break;
                    case Resync r:
                        // Present: apply it as it is now; gone: delete it.
                        await Take(r.Kind, [_latest.TryGetValue((r.Kind, r.Key), out var now)
                            ? new WatchChange<UnstructuredObject>(r.Key, null, now)
                            : new WatchChange<UnstructuredObject>(r.Key, Named(r.Kind, r.Key), null)], ct);
                        break;
                    case Prune p:
                        await PruneAsync(p, ct);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task Take(HubKind kind, IReadOnlyList<WatchChange<UnstructuredObject>> changes, CancellationToken ct)
    {
        var applies = new List<(NamespacedName Key, UnstructuredObject Object, ManifestObject Manifest)>();
        var deletes = new List<(NamespacedName Key, ManifestObject Manifest)>();
        foreach (var c in changes)
        {
            var o = c.New ?? c.Old;
            if (o is null || !scope.Takes(kind, o.Metadata.NamespaceProperty, o.Metadata.Name)) continue;
            var manifest = HubManifest.Of(kind, o);
            if (c.New is null) deletes.Add((c.Key, manifest));
            else if (c.Old is null || HubManifest.Of(kind, c.Old).Json != manifest.Json) applies.Add((c.Key, c.New, manifest));
        }
        foreach (var batch in applies.Chunk(BatchSize)) await ApplyAsync(kind, batch, ct);
        if (deletes.Count == 0) return;
        try
        {
            await fleet.DeleteManifestsAsync(null, [.. deletes.Select(d => d.Manifest)]);
            _backoff.Reset();
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            Retry(kind, deletes.Select(d => d.Key), ex, ct);
        }
    }

    /// <summary>All of a batch in one call; when the hub refuses one, each on its own (the hub takes a call whole or not at all).</summary>
    private async Task ApplyAsync(HubKind kind, IReadOnlyList<(NamespacedName Key, UnstructuredObject Object, ManifestObject Manifest)> batch, CancellationToken ct)
    {
        try
        {
            await fleet.ApplyManifestsAsync(null, [.. batch.Select(b => b.Manifest)]);
            _backoff.Reset();
            if (kind == HubKinds.Placements) foreach (var b in batch) status.Accepted(b.Object.Metadata.Name);
            return;
        }
        catch (FleetValidationException ex) when (batch.Count == 1)
        {
            await RefusedAsync(kind, batch[0].Object, ex.Message, ct);
            return;
        }
        catch (FleetValidationException)
        {
            // One of them: find which, below.
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            Retry(kind, batch.Select(b => b.Key), ex, ct);
            return;
        }
        foreach (var one in batch) await ApplyAsync(kind, [one], ct);
    }

    private async Task RefusedAsync(HubKind kind, UnstructuredObject o, string message, CancellationToken ct)
    {
        logger.LogWarning("{Kind} {Namespace}{Name}: refused by the hub: {Error}", kind.Kind, o.Metadata.NamespaceProperty is { } ns ? ns + "/" : "", o.Metadata.Name, message);
        if (kind == HubKinds.Placements) status.Refused(o, message);
        await events.RecordAsync(o, message, ct);
    }

    private async Task PruneAsync(Prune p, CancellationToken ct)
    {
        try
        {
            // What was listed, and what the watch has shown since (a retry comes later than the list).
            var keep = p.Listed.Concat(_latest.Keys.Where(k => k.Kind == p.Kind).Select(k => k.Key)).ToHashSet();
            var held = await fleet.ListManifestsAsync(null);
            var stale = held.Where(o => p.Kind.Is(o.ApiVersion, o.Kind) && (p.Namespace is null || o.Namespace == p.Namespace)
                && scope.Takes(p.Kind, o.Namespace, o.Name) && !keep.Contains(new NamespacedName(o.Namespace ?? "default", o.Name))).ToArray();
            if (stale.Length == 0) return;
            logger.LogInformation("{Count} {Plural} that the hub's API server no longer has: deleting them from the hub", stale.Length, p.Kind.Plural);
            await fleet.DeleteManifestsAsync(null, stale);
            _backoff.Reset();
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            var delay = _backoff.Next();
            logger.LogWarning("Removing {Plural} the API server no longer has from the hub failed: {Error}; again in {Delay:0.0}s", p.Kind.Plural, ex.Message, delay.TotalSeconds);
            Later(delay, p, ct);
        }
    }

    /// <summary>The hub failed otherwise than by refusing (a silo going away): these keys are taken again later, as the watch shows them then.</summary>
    private void Retry(HubKind kind, IEnumerable<NamespacedName> keys, Exception ex, CancellationToken ct)
    {
        var delay = _backoff.Next();
        var list = keys.ToArray();
        logger.LogWarning("The hub did not take {Count} {Plural}: {Error}; again in {Delay:0.0}s", list.Length, kind.Plural, ex.Message, delay.TotalSeconds);
        foreach (var key in list) Later(delay, new Resync(kind, key), ct);
    }

    private void Later(TimeSpan delay, Work work, CancellationToken ct) =>
        _ = Task.Delay(delay, ct).ContinueWith(_ => _queue.Writer.TryWrite(work), ct, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    private static UnstructuredObject Named(HubKind kind, NamespacedName key) => new()
    {
        ApiVersion = kind.ApiVersion,
        Kind = kind.Kind,
        Metadata = new() { Name = key.Name, NamespaceProperty = kind.Namespaced ? key.Namespace : null },
    };

    // Cluster-scoped objects are keyed under "default", as ResourceWatcher keys them.
    private static NamespacedName Key(UnstructuredObject o) => new(o.Metadata.NamespaceProperty ?? "default", o.Metadata.Name);
}
