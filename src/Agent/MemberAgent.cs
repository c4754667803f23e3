using FleetL4.KubernetesWatch;
using FleetL4.Client;
using FleetL4.Members;
using FleetL4.Members.Resources;
using FleetL4.Members.Validation;
using FleetL4.Models;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FleetL4.Agent;

/// <summary>
/// The member agent: watches Services, EndpointSlices, ServiceExports and MultiClusterServices on the member's
/// API server, feeds every change through <see cref="MemberSync"/> (the translation virtual clusters use) in
/// batches, and writes back the status the hub pushes over one stream per cluster (whose being open is the
/// cluster's heartbeat). It reports nothing until every kind has been listed once, so a restart re-reports the full
/// state and never a partial one (no endpoints are withdrawn by a restart). While the hub is unreachable it keeps
/// only the set of objects to re-send (their latest state is read at send time); while the API server is
/// unreachable it keeps the stream open for <see cref="AgentOptions.ApiOutageBound"/>, then closes it so the lease
/// lapses. It also mirrors the ServiceImports MultiClusterServices import (<see cref="ServiceImportMirror"/>,
/// watching the ones it labelled) and records the Events Fleet records (<see cref="FleetEvents"/>). When the stream
/// says that the cluster's placed work changed (and on every snapshot), it reads the work, applies it
/// (<see cref="WorkApplier"/>) and reports; changes during a round make one more round. Nothing runs between events:
/// an idle member sends only its stream's keep-alives.
/// </summary>
public sealed class MemberAgent : IAsyncDisposable
{
    private readonly FleetClient _fleet;
    private readonly TimeProvider _clock;
    private readonly AgentOptions _options;
    private readonly ILogger _logger;
    private readonly Watchers<V1Service> _services;
    private readonly Watchers<V1EndpointSlice> _slices;
    private readonly Watchers<ServiceExportResource> _exports;
    private readonly Watchers<MultiClusterServiceResource> _mcses;
    private readonly Watchers<ServiceImportResource> _imports;
    private readonly RequestBudget _writes;
    private readonly RequestBudget _eventBudget;
    private readonly EventRecorder _events;
    private readonly StatusWriter _status;
    private readonly ServiceImportMirror _mirror;
    private readonly HashSet<NamespacedName> _dirtyExports = [];
    private readonly HashSet<NamespacedName> _dirtyMcses = [];
    // What the watch caches hold, indexed as the translation needs it (slices by Service), kept up to date per event.
    private readonly MemberObjects _objects = new();
    // The hub's views, as the status stream pushed them, and the objects whose status to compare with them.
    private readonly Dictionary<NamespacedName, ServiceExportView> _exportViews = [];
    private readonly Dictionary<NamespacedName, MultiClusterServiceView> _mcsViews = [];
    // The hub's spec of each import, as the MCS views importing it carry it (what the ServiceImport mirror writes).
    private readonly Dictionary<NamespacedName, ImportInfo> _importInfos = [];
    private readonly HashSet<NamespacedName> _statusExports = [];
    private readonly HashSet<NamespacedName> _statusMcses = [];
    private bool _mirrorDirty;
    private readonly Lock _lock = new();
    // Wake-ups, not counters: many changes before a loop runs are one round.
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly SemaphoreSlim _statusSignal = new(0, 1);
    private readonly SemaphoreSlim _workSignal = new(0, 1);
    private readonly WorkApplier _work;
    private readonly Backoff _workBackoff;
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;

    /// <param name="clock">What the API outage bound is measured on (tests move it by hand).</param>
    public MemberAgent(IKubernetes k8s, FleetClient fleet, AgentOptions options, ILogger logger, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        _fleet = fleet;
        _options = options;
        _logger = logger;
        // One watcher per kind, or per kind and namespace when the agent is limited to a namespace list.
        string?[] namespaces = options.Namespaces.Count == 0 ? [null] : [.. options.Namespaces];
        _services = new(namespaces.Select(ns => new ResourceWatcher<V1Service>(WatchSources.Services(k8s, ns), c => Changed(c, Service), options, logger, _clock)));
        _slices = new(namespaces.Select(ns => new ResourceWatcher<V1EndpointSlice>(WatchSources.EndpointSlices(k8s, ns), c => Changed(c, Slice), options, logger, _clock)));
        _exports = new(namespaces.Select(ns => new ResourceWatcher<ServiceExportResource>(WatchSources.ServiceExports(k8s, ns), c =>
        {
            Forget(c);
            Changed(c, Export);
            StatusDue(c.Select(x => x.Key), []);
        }, options, logger, _clock)));
        _mcses = new(namespaces.Select(ns => new ResourceWatcher<MultiClusterServiceResource>(WatchSources.MultiClusterServices(k8s, ns), c =>
        {
            Forget(c);
            Unimported(c);
            Changed(c, Mcs);
            StatusDue([], c.Select(x => x.Key), mirror: c.Any(x => !StatusOnlyChange.Is(x)));
        }, options, logger, _clock)));
        // Only read by the status loop: no hub sync depends on them.
        _imports = new(namespaces.Select(ns => new ResourceWatcher<ServiceImportResource>(
            WatchSources.ServiceImports(k8s, ns, ServiceImportMirror.Selector), _ => StatusDue([], [], mirror: true), options, logger, _clock)));
        _writes = new RequestBudget(options.Qps, options.Burst);
        _eventBudget = new RequestBudget(options.EventQps, Math.Max(1, (int)options.EventQps * 2));
        _events = new EventRecorder(k8s, options.Cluster, _eventBudget, logger);
        _status = new StatusWriter(k8s, _events, _writes, logger);
        _mirror = new ServiceImportMirror(k8s, _writes, logger);
        _work = new WorkApplier(k8s, _writes, logger);
        _workBackoff = new Backoff(options.BackoffMin, options.BackoffMax);
    }

    /// <summary>Every kind listed at least once.</summary>
    public bool Synced => _services.Synced && _slices.Synced && _exports.Synced && _mcses.Synced;

    /// <summary>Whether the status stream (the heartbeat) is open now (false once the API server has been gone past the bound).</summary>
    public bool Heartbeating { get; private set; }

    public int StatusWrites => _status.Writes + _mirror.Writes;

    /// <summary>Status messages received from the hub (a snapshot counts once per message).</summary>
    public int StatusUpdates { get; private set; }

    /// <summary>Completed rounds of status write-back (each compares the objects the hub or the member changed).</summary>
    public int StatusRounds { get; private set; }

    /// <summary>Rounds of placed work read, applied and reported to the hub.</summary>
    public int WorkRounds { get; private set; }

    public int Relists => _services.Relists + _slices.Relists + _exports.Relists + _mcses.Relists + _imports.Relists;

    public void Start()
    {
        var ct = _stop.Token;
        _run = Task.WhenAll(
            _services.RunAsync(ct), _slices.RunAsync(ct), _exports.RunAsync(ct), _mcses.RunAsync(ct), _imports.RunAsync(ct),
            Loop(SyncOnce, ct), Loop(HubSession, ct), Loop(WriteStatus, ct), Loop(_events.RunAsync, ct), Loop(ApplyWork, ct));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
            try { await _run; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }

    // Change routing: which exports and MCSes an object change affects.
    private static IEnumerable<(NamespacedName? Export, NamespacedName? Mcs)> Service(WatchChange<V1Service> c) => [(c.Key, null)];
    // The agent's own status write comes back as a watch event: it changes nothing the hub is told.
    private static IEnumerable<(NamespacedName? Export, NamespacedName? Mcs)> Export(WatchChange<ServiceExportResource> c) =>
        StatusOnlyChange.Is(c) ? [] : [(c.Key, null)];
    private static IEnumerable<(NamespacedName? Export, NamespacedName? Mcs)> Mcs(WatchChange<MultiClusterServiceResource> c) =>
        StatusOnlyChange.Is(c) ? [] : [(null, c.Key)];

    private static IEnumerable<(NamespacedName? Export, NamespacedName? Mcs)> Slice(WatchChange<V1EndpointSlice> c) =>
        new[] { c.Old, c.New }.Where(s => s is not null)
            .Select(s => MemberObjects.ServiceOf(s!))
            .Where(k => k is not null).Distinct().Select(k => (k, (NamespacedName?)null));

    /// <summary>A deleted object's recorded transitions are forgotten.</summary>
    private void Forget<T>(IReadOnlyList<WatchChange<T>> changes) where T : IKubernetesObject<V1ObjectMeta>
    {
        foreach (var c in changes.Where(c => c.New is null)) _status.Forget(c.Old?.Metadata?.Uid);
    }

    /// <summary>An MCS deleted, or now importing another service, no longer imports its old one (Fleet's UnimportedService).</summary>
    private void Unimported(IReadOnlyList<WatchChange<MultiClusterServiceResource>> changes)
    {
        lock (_lock)
            foreach (var c in changes)
                if (c.Old is { } old && ServiceImportMirror.ImportOf(old) is { } import && (c.New is null || ServiceImportMirror.ImportOf(c.New) != import))
                    _events.Enqueue(old, FleetEvents.Unimported(import));
    }

    private void Changed<T>(IReadOnlyList<WatchChange<T>> changes, Func<WatchChange<T>, IEnumerable<(NamespacedName? Export, NamespacedName? Mcs)>> affected)
    {
        lock (_lock)
        {
            foreach (var (export, mcs) in changes.SelectMany(affected))
            {
                if (export is { } e) _dirtyExports.Add(e);
                if (mcs is { } m) _dirtyMcses.Add(m);
            }
            // The objects' index follows each change: O(that object), never a rebuild.
            foreach (var c in changes)
            {
                Untrack(c.Old);
                Track(c.New);
            }
        }
        Wake(_signal);
    }

    /// <summary>Indexes an object for the translation, unless <see cref="ManifestValidation"/> refuses it: then it is
    /// logged and left out (as if absent), and the member's other objects sync as usual.</summary>
    private void Track(object? o)
    {
        if (o is IKubernetesObject<V1ObjectMeta> k && ManifestValidation.Refusal(k) is { } refusal)
        {
            _logger.LogWarning("Skipped {Kind} {Namespace}/{Name}: {Error}", k.Kind ?? o.GetType().Name, k.Metadata?.NamespaceProperty, k.Metadata?.Name, refusal.Message);
            return;
        }
        switch (o)
        {
            case V1Service s: _objects.Add(s); break;
            case V1EndpointSlice e: _objects.Add(e); break;
            case ServiceExportResource x: _objects.Add(x); break;
            case MultiClusterServiceResource m: _objects.Add(m); break;
        }
    }

    private void Untrack(object? o)
    {
        switch (o)
        {
            case V1Service s: _objects.Remove(s); break;
            case V1EndpointSlice e: _objects.Remove(e); break;
            case ServiceExportResource x: _objects.Remove(x); break;
            case MultiClusterServiceResource m: _objects.Remove(m); break;
        }
    }

    /// <summary>Sends the latest state of every dirty object; on failure keeps them dirty and retries with backoff.</summary>
    private async Task SyncOnce(CancellationToken ct)
    {
        await _signal.WaitAsync(ct);
        if (!Synced || !_joined)
        {
            // Never report a partial state: wait until every kind has been listed once (and the cluster has joined).
            await Task.Delay(50, ct);
            Wake(_signal);
            return;
        }
        NamespacedName[] exports, mcses;
        lock (_lock)
        {
            exports = [.. _dirtyExports];
            mcses = [.. _dirtyMcses];
            _dirtyExports.Clear();
            _dirtyMcses.Clear();
        }
        if (exports.Length == 0 && mcses.Length == 0) return;
        try
        {
            var revision = new[] { _services.HighestResourceVersion, _slices.HighestResourceVersion, _exports.HighestResourceVersion, _mcses.HighestResourceVersion }.Max();
            MemberChanges changes;
            lock (_lock) changes = MemberSync.Changes(_objects, exports, mcses, revision); // O(the dirty objects)
            var result = await _fleet.MemberHub(_options.Cluster).SyncAsync(changes);
            foreach (var rejection in result.Rejected)
                _logger.LogWarning("The hub refused {Object}", rejection);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            lock (_lock)
            {
                _dirtyExports.UnionWith(exports);
                _dirtyMcses.UnionWith(mcses);
            }
            var delay = _syncBackoff.Next();
            _logger.LogWarning("Sync to the hub failed ({Error}); retrying {Count} objects in {Delay:0.0}s", ex.Message, exports.Length + mcses.Length, delay.TotalSeconds);
            await Task.Delay(delay, ct);
            Wake(_signal);
            return;
        }
        _syncBackoff.Reset();
    }

    private readonly Backoff _syncBackoff = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));
    private readonly Backoff _hubBackoff = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));
    private volatile bool _joined;

    private bool ApiLive() => OutageLeft() >= TimeSpan.Zero;

    /// <summary>How long until the API server counts as lost: the bound, from the watch it heard from least recently.</summary>
    private TimeSpan OutageLeft() =>
        new[] { _services.LastContact, _slices.LastContact, _exports.LastContact, _mcses.LastContact }.Min() + _options.ApiOutageBound - _clock.GetUtcNow();

    /// <summary>
    /// Joins, then holds the status stream open and takes what it pushes. The stream is the heartbeat: it is closed
    /// when the member's API server has been unreachable past the bound, and reopened when it is back.
    /// </summary>
    private async Task HubSession(CancellationToken ct)
    {
        var check = TimeSpan.FromTicks(Math.Clamp(_options.ApiOutageBound.Ticks / 4, TimeSpan.FromMilliseconds(20).Ticks, TimeSpan.FromSeconds(5).Ticks));
        if (!ApiLive())
        {
            Heartbeating = false;
            await Task.Delay(check, _clock, ct); // only while the API server is gone
            return;
        }
        using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watchdog = Watchdog(session);
        try
        {
            var member = await _fleet.JoinClusterAsync(_options.Cluster, _options.Labels, ct: session.Token);
            _joined = true;
            // A (re)join re-sends everything once the caches are full, and removes from the hub what this member
            // no longer has (deleted while the agent was down).
            MarkAllDirty(member.ServiceExports, member.MultiClusterServices);
            await foreach (var update in _fleet.WatchStatusAsync(_options.Cluster, session.Token))
            {
                Heartbeating = true;
                _hubBackoff.Reset();
                Take(update);
            }
            Heartbeating = false; // the hub ended the stream (it is stopping): connect again, maybe to another
        }
        catch (OperationCanceledException) when (session.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            if (Heartbeating) _logger.LogWarning("Member API server unreachable for more than {Bound}; no more heartbeats until it is back", _options.ApiOutageBound);
            Heartbeating = false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Heartbeating = false;
            var delay = _hubBackoff.Next();
            _logger.LogWarning("Hub connection failed ({Error}); retrying in {Delay:0.0}s", ex.Message, delay.TotalSeconds);
            await Task.Delay(delay, ct);
        }
        finally
        {
            await session.CancelAsync();
            await watchdog;
        }
    }

    /// <summary>
    /// Ends the session when the API server has been unreachable past the bound (a local check, no request). It wakes
    /// when the bound would end if nothing were heard meanwhile, so a member whose watches answer wakes it once a bound.
    /// </summary>
    private async Task Watchdog(CancellationTokenSource session)
    {
        try
        {
            while (!session.IsCancellationRequested)
            {
                var left = OutageLeft();
                if (left < TimeSpan.Zero)
                {
                    await session.CancelAsync();
                    return;
                }
                await Task.Delay(left + TimeSpan.FromMilliseconds(1), _clock, session.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Takes one status message: the views replace what the agent knew (all of it on a resync).</summary>
    private void Take(StatusUpdate update)
    {
        lock (_lock)
        {
            StatusUpdates++;
            if (update.Resync)
            {
                _exportViews.Clear();
                _mcsViews.Clear();
                _importInfos.Clear();
                // Compare every object again: what changed while the stream was down shows up here.
                _statusExports.UnionWith(_objects.ServiceExports.Keys);
                _statusMcses.UnionWith(_objects.MultiClusterServices.Keys);
                _mirrorDirty = true;
            }
            // The hub lost these reports (a silo died holding them): the sync loop sends them again.
            if (update.ResendExports is [_, ..] resend) _dirtyExports.UnionWith(resend);
            foreach (var view in update.Exports)
            {
                var key = new NamespacedName(view.Namespace, view.Name);
                if (view.Exists) _exportViews[key] = view;
                else _exportViews.Remove(key);
                _statusExports.Add(key);
            }
            foreach (var view in update.MultiClusterServices)
            {
                var key = new NamespacedName(view.Namespace, view.Name);
                if (view.Exists)
                {
                    _mcsViews[key] = view;
                    _importInfos[new NamespacedName(view.Namespace, view.ServiceImportName)] = view.Import;
                }
                else _mcsViews.Remove(key);
                _statusMcses.Add(key);
                _mirrorDirty = true;
            }
        }
        Wake(_statusSignal);
        if (update.ResendExports is [_, ..]) Wake(_signal);
        if (update.WorkChanged || update.Resync) Wake(_workSignal);
    }

    /// <summary>
    /// One round of placed work: read it from the hub, apply it, report. A hub that cannot be reached, or an API
    /// server that failed in a way worth retrying, makes the round run again after a backoff; otherwise it waits for
    /// the next change (a change during the round has woken it already: one more round for any number of them).
    /// </summary>
    private async Task ApplyWork(CancellationToken ct)
    {
        await _workSignal.WaitAsync(ct);
        string? trouble;
        try
        {
            var work = await _fleet.GetWorkAsync(_options.Cluster, ct);
            var outcome = await _work.ApplyAsync(work, ct);
            await _fleet.ReportWorkAsync(_options.Cluster, outcome.Report, ct);
            WorkRounds++;
            trouble = outcome.Retry ? "the member's API server failed on some objects" : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            trouble = $"placed work round failed ({ex.Message})";
        }
        if (trouble is null)
        {
            _workBackoff.Reset();
            return;
        }
        var delay = _workBackoff.Next();
        _logger.LogWarning("{Trouble}; applying the placed work again in {Delay:0.0}s", trouble, delay.TotalSeconds);
        await Task.Delay(delay, ct);
        Wake(_workSignal);
    }

    private static void Wake(SemaphoreSlim signal)
    {
        try { signal.Release(); } catch (SemaphoreFullException) { } // already awake
    }

    private void StatusDue(IEnumerable<NamespacedName> exports, IEnumerable<NamespacedName> mcses, bool mirror = false)
    {
        lock (_lock)
        {
            _statusExports.UnionWith(exports);
            _statusMcses.UnionWith(mcses);
            _mirrorDirty |= mirror;
        }
        Wake(_statusSignal);
    }

    private void MarkAllDirty(IEnumerable<NamespacedName> hubExports, IEnumerable<NamespacedName> hubMcses)
    {
        lock (_lock)
        {
            _dirtyExports.UnionWith(hubExports);
            _dirtyMcses.UnionWith(hubMcses);
            _dirtyExports.UnionWith(_objects.ServiceExports.Keys);
            _dirtyMcses.UnionWith(_objects.MultiClusterServices.Keys);
        }
        Wake(_signal);
    }

    /// <summary>
    /// Writes back the status of the objects the hub or the member changed (a patch only where it differs), then the
    /// ServiceImports the MCSes import, and the Events of MCSes that stopped importing. Waits for the next change.
    /// </summary>
    private async Task WriteStatus(CancellationToken ct)
    {
        await _statusSignal.WaitAsync(ct);
        if (!Synced)
        {
            await Task.Delay(50, ct); // only until every kind is listed
            Wake(_statusSignal);
            return;
        }
        List<(ServiceExportResource, ServiceExportView)> exports = [];
        List<(MultiClusterServiceResource, MultiClusterServiceView)> mcses = [];
        bool mirror;
        lock (_lock)
        {
            foreach (var key in _statusExports)
                if (_objects.ServiceExports.GetValueOrDefault(key) is { } export && _exportViews.TryGetValue(key, out var view)) exports.Add((export, view));
            foreach (var key in _statusMcses)
                if (_objects.MultiClusterServices.GetValueOrDefault(key) is { } mcs && _mcsViews.TryGetValue(key, out var view)) mcses.Add((mcs, view));
            _statusExports.Clear();
            _statusMcses.Clear();
            mirror = _mirrorDirty && _imports.Synced;
            if (mirror) _mirrorDirty = false;
        }
        // In parallel under the request budget; one object failing (deleted meanwhile, RBAC) does not hold up the
        // others. An object changed again while its write is in flight is dirty again: the next round writes it.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.StatusWriters, CancellationToken = ct };
        await Parallel.ForEachAsync(exports, parallel, async (e, token) =>
            await Try($"{FleetApi.ServiceExport} {MemberObjects.NameOf(e.Item1)}", () => _status.ServiceExport(e.Item1, e.Item2, token)));
        await Parallel.ForEachAsync(mcses, parallel, async (m, token) =>
            await Try($"{FleetApi.MultiClusterService} {MemberObjects.NameOf(m.Item1)}", () => _status.MultiClusterService(m.Item1, m.Item2, token)));
        // Until the ServiceImports are listed, the agent cannot tell which of them it would delete or create twice.
        if (mirror)
        {
            MultiClusterServiceResource[] all;
            lock (_lock) all = [.. _objects.MultiClusterServices.Values];
            await _mirror.SyncAsync(all, _imports.Items(), ImportInfoOf, ct);
        }
        StatusRounds++;
    }

    /// <summary>The hub's spec of an import, as the views of the MCSes importing it carry it (null before any arrived).</summary>
    private ImportInfo? ImportInfoOf(NamespacedName import)
    {
        lock (_lock) return _importInfos.GetValueOrDefault(import);
    }

    private async Task Try(string what, Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning("Status write-back of {Object} failed: {Error}", what, ex.Message);
        }
    }


    private async Task Loop(Func<CancellationToken, Task> body, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await body(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "agent loop failed; continuing");
                await Task.Delay(_options.BackoffMin, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>The watchers of one kind (one per namespace, or one for all), seen as one cache.</summary>
    private sealed class Watchers<T>(IEnumerable<ResourceWatcher<T>> watchers) where T : IKubernetesObject<V1ObjectMeta>
    {
        private readonly ResourceWatcher<T>[] _all = [.. watchers];

        public bool Synced => _all.All(w => w.Synced);
        public int Relists => _all.Sum(w => w.Relists);
        public DateTimeOffset LastContact => _all.Min(w => w.LastContact);
        public long HighestResourceVersion => _all.Max(w => w.HighestResourceVersion);
        public IReadOnlyList<T> Items() => [.. _all.SelectMany(w => w.Items())];
        public Task RunAsync(CancellationToken ct) => Task.WhenAll(_all.Select(w => w.RunAsync(ct)));
    }
}
