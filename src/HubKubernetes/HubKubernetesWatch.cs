using FleetL4.HubApi;
using FleetL4.KubernetesWatch;
using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FleetL4.HubKubernetes;

/// <summary>
/// The hub's watch of its own Kubernetes API server (Hub:Kubernetes:Watch=true), so that kubectl on the hub
/// cluster works as with Fleet: every kind of <see cref="HubKinds"/> is listed and watched (<see cref="ResourceWatcher{T}"/>),
/// what changes is applied to the hub (<see cref="HubMirror"/>), and each ClusterResourcePlacement's status is
/// written back (<see cref="PlacementStatusWriter"/>) when the hub tells its observer that it changed. Runs on one
/// silo of the hub at a time (<see cref="WatchLeadership"/>), once the host has started; stops with the host.
/// </summary>
public sealed class HubKubernetesWatch(
    IOptions<HubKubernetesOptions> options, FleetGrains fleet, WatchLeadership leadership, IHostApplicationLifetime lifetime, ILoggerFactory loggers)
    : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<HubKubernetesWatch>();

    /// <summary>The running watch's status writer (null while this process does not lead), for tests.</summary>
    public PlacementStatusWriter? Status { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        try
        {
            // Grain calls need the silo to be up, which is one of the host's services.
            await Task.Delay(Timeout.Infinite, lifetime.ApplicationStarted).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(stopping);
            while (!stopping.IsCancellationRequested)
            {
                await using var lead = await leadership.LeadAsync(stopping);
                try
                {
                    await RunAsync(lead.Token);
                }
                catch (OperationCanceledException) when (lead.Token.IsCancellationRequested)
                {
                    // Stopped, or another silo leads now.
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var o = options.Value;
        using var k8s = HubKubernetesClient.Create(o);
        var status = new PlacementStatusWriter(k8s, fleet, o, loggers.CreateLogger<PlacementStatusWriter>());
        var scope = new WatchScope(o.Namespaces);
        var mirror = new HubMirror(fleet, scope, status, new RefusalEvents(k8s, _logger), o, loggers.CreateLogger<HubMirror>());
        // Orleans holds an observer weakly: this reference keeps it alive while the watch runs (GC.KeepAlive below).
        var listener = new PlacementObserver(status);
        var observer = fleet.Factory.CreateObjectReference<IPlacementObserver>(listener);
        Status = status;
        _logger.LogInformation("Watching the hub's Kubernetes API server at {Host} ({Namespaces})", k8s.BaseUri,
            scope.Namespaces is null ? "all namespaces" : string.Join(", ", scope.Namespaces));
        try
        {
            var watchers = HubKinds.All.SelectMany(kind => (kind.Namespaced && scope.Namespaces is { } list ? list.Select(ns => (string?)ns) : [null])
                .Select(ns => Watcher(k8s, kind, ns, mirror)));
            await Task.WhenAll([Observe(observer, ct), status.RunAsync(ct), mirror.RunAsync(ct), .. watchers.Select(w => w.RunAsync(ct))]);
        }
        finally
        {
            Status = null;
            try
            {
                await fleet.Factory.GetGrain<IHubDirectoryGrain>(GrainKeys.Hub).Unwatch(observer).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex)
            {
                _logger.LogDebug("Unwatching placements: {Error}", ex.Message);
            }
            fleet.Factory.DeleteObjectReference<IPlacementObserver>(observer);
            GC.KeepAlive(listener);
        }
    }

    /// <summary>One kind's list/watch; each list also tells the mirror what the API server has.</summary>
    private ResourceWatcher<UnstructuredObject> Watcher(IKubernetes k8s, HubKind kind, string? ns, HubMirror mirror)
    {
        var source = kind.Source(k8s, ns);
        var listed = new WatchSource<UnstructuredObject>(source.Name, async ct =>
        {
            var list = await source.ListAsync(ct);
            mirror.OnListed(kind, ns, list.Items);
            return list;
        }, source.WatchAsync);
        return new ResourceWatcher<UnstructuredObject>(listed, changes => mirror.OnChanges(kind, changes), options.Value, loggers.CreateLogger($"FleetL4.HubKubernetes.{kind.Plural}"));
    }

    /// <summary>Subscribes to placement status changes and renews at half the observer lifetime (the hub directory
    /// forgets observers that do not).</summary>
    private async Task Observe(IPlacementObserver observer, CancellationToken ct)
    {
        var directory = fleet.Factory.GetGrain<IHubDirectoryGrain>(GrainKeys.Hub);
        var backoff = new Backoff(options.Value.BackoffMin, options.Value.BackoffMax);
        while (!ct.IsCancellationRequested)
        {
            TimeSpan next;
            try
            {
                await directory.Watch(observer).WaitAsync(ct);
                backoff.Reset();
                next = IHubDirectoryGrain.ObserverLifetime / 2;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                next = backoff.Next();
                _logger.LogWarning("Subscribing to placement status changes failed: {Error}; again in {Delay:0.0}s", ex.Message, next.TotalSeconds);
            }
            try { await Task.Delay(next, ct); } catch (OperationCanceledException) { return; }
        }
    }
}
