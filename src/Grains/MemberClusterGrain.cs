using Microsoft.Extensions.DependencyInjection;
using FleetL4.Runtime;
using FleetL4.Domain;
using FleetL4.Models;
using FleetL4.State;
using FleetL4.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace FleetL4;

/// <summary>
/// A member cluster: membership, labels and its lease. Reports from the member pass through here (refused
/// unless joined) on their way to the export and MCS grains, so data flows one way: member -> export -> import
/// -> MCS. The lease is checked by a timer while active and by a reminder after a silo loss; when it lapses the
/// cluster's exports are marked not live, and their endpoints leave every import until a heartbeat returns.
/// </summary>
public sealed class MemberClusterGrain(
    [PersistentState("member", StorageNames.Fleet)] IPersistentState<MemberClusterState> state,
    IOptions<FleetOptions> options,
    [FromKeyedServices(GrainClock.Key)] TimeProvider clock,
    ILogger<MemberClusterGrain> logger) : Grain, IMemberClusterGrain, IRemindable
{
    private const string LeaseReminder = "lease";
    // The lease is live through its last instant (LeaseRule.IsLive): check just after it.
    private static readonly TimeSpan LeaseTimerSlack = TimeSpan.FromMilliseconds(1);
    private readonly FleetOptions _options = options.Value;
    private DateTimeOffset _lastHeartbeat;
    private DateTimeOffset? _lastHeartbeatSeen;
    private bool? _propagatedLive;
    private IGrainTimer? _leaseTimer;
    // Status streams of the hub API; a stream renews its entry every heartbeat interval, so a lost one expires.
    private ObserverManager<IMemberStatusObserver>? _observers;
    private readonly StateTally _health = FleetMetrics.ClusterState();

    private ObserverManager<IMemberStatusObserver> Watchers =>
        _observers ??= new(LeaseRule.Duration(_options.HeartbeatInterval, _options.MissedHeartbeats), logger);

    private string Name => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Heartbeats are not persisted (they would be a storage write each): a reactivated cluster gets a fresh lease.
        _lastHeartbeat = clock.GetUtcNow();
        if (state.State.Joined) StartLeaseTimer();
        ObserveHealth();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _health.Set(null); // the next activation counts itself
        return Task.CompletedTask;
    }

    public async Task<MemberClusterView> Join(IReadOnlyDictionary<string, string> labels, bool isVirtual = false)
    {
        NameRules.RequireDns1123Label("cluster", Name);
        LabelRules.Validate(labels);
        var now = clock.GetUtcNow();
        // Placements schedule again when the set of clusters or their labels change (an agent re-joins with its labels).
        var clustersChanged = !state.State.Joined || !SameLabels(state.State.Labels, labels);
        if (!state.State.Joined) state.State.JoinedAt = now;
        state.State.Joined = true;
        state.State.Labels = new Dictionary<string, string>(labels, StringComparer.Ordinal);
        state.State.Virtual = isVirtual;
        SetCondition(ConditionTypes.Joined, ConditionStatuses.True, ConditionReasons.JoinSucceeded, $"cluster {Name} joined the fleet");
        await state.WriteStateAsync(); // labels and the virtual flag must survive a failover even on a re-join
        await GrainFactory.GetGrain<IFleetDirectoryGrain>(GrainKeys.Directory).Add(Name);
        await this.RegisterOrUpdateReminder(LeaseReminder, _options.ReminderPeriod, _options.ReminderPeriod);
        await RecordHeartbeat(now);
        StartLeaseTimer();
        if (clustersChanged) HubDirectory.ClustersChanged().Ignore();
        return View();
    }

    public async Task<MemberClusterView> Label(IReadOnlyDictionary<string, string> set, IReadOnlyList<string> remove)
    {
        RequireJoined();
        if (!state.State.Virtual)
            throw new FleetValidationException("cluster", $"cluster \"{Name}\" has an agent: its labels are the agent's (fleetl4 agent --label), set on every join");
        foreach (var key in remove) LabelRules.RequireKey($"labels[{key}]", key);
        var labels = new Dictionary<string, string>(state.State.Labels, StringComparer.Ordinal);
        foreach (var key in remove) labels.Remove(key);
        foreach (var (key, value) in set) labels[key] = value;
        LabelRules.Validate(labels);
        if (SameLabels(state.State.Labels, labels)) return View();
        state.State.Labels = labels;
        await state.WriteStateAsync();
        HubDirectory.ClustersChanged().Ignore();
        return View();
    }

    private IHubDirectoryGrain HubDirectory => GrainFactory.GetGrain<IHubDirectoryGrain>(GrainKeys.Hub);

    private static bool SameLabels(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public async Task Leave()
    {
        if (!state.State.Joined) return;
        foreach (var export in state.State.Exports.ToArray())
        {
            await Export(NamespacedName.Parse(export)).Remove();
            state.State.Exports.Remove(export);
        }
        foreach (var mcs in state.State.MultiClusterServices.ToArray())
        {
            await Mcs(NamespacedName.Parse(mcs)).Delete();
            state.State.MultiClusterServices.Remove(mcs);
        }
        state.State.Joined = false;
        state.State.LeaseLive = false;
        SetCondition(ConditionTypes.Joined, ConditionStatuses.False, ConditionReasons.LeaveSucceeded, $"cluster {Name} left the fleet");
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IFleetDirectoryGrain>(GrainKeys.Directory).Remove(Name);
        HubDirectory.ClustersChanged().Ignore();
        _leaseTimer?.Dispose();
        _leaseTimer = null;
        var reminder = await this.GetReminder(LeaseReminder);
        if (reminder is not null) await this.UnregisterReminder(reminder);
    }

    public async Task Heartbeat()
    {
        RequireJoined();
        await RecordHeartbeat(clock.GetUtcNow());
    }

    public Task<MemberClusterView> Get() => Task.FromResult(View());

    public async Task<MemberSyncResult> Sync(MemberChanges changes)
    {
        if (changes.Reports.Count > 0 || changes.MultiClusterServices.Count > 0) RequireJoined();
        var rejected = new List<SyncRejection>();
        var exports = await SyncExports(changes, rejected);
        var mcses = await SyncMultiClusterServices(changes, rejected);
        return new MemberSyncResult(exports, mcses, rejected);
    }

    /// <summary>Reports and removals run in parallel (one export grain each); the export set is written once.</summary>
    private async Task<IReadOnlyList<ServiceExportView>> SyncExports(MemberChanges changes, List<SyncRejection> rejected)
    {
        var reports = new Dictionary<NamespacedName, ServiceExportReport>();
        foreach (var report in changes.Reports)
        {
            try
            {
                // The one place a report is checked: its names make the export's key.
                var normalized = ExportValidation.Normalize(changes.Revision > 0 ? report with { Revision = changes.Revision } : report, _options.Quotas);
                reports[new NamespacedName(normalized.Namespace, normalized.Name)] = normalized; // the last of one name wins
            }
            catch (FleetValidationException ex)
            {
                rejected.Add(new SyncRejection(FleetApi.ServiceExport, new NamespacedName(report.Namespace, report.Name), ex.Field, ex.Detail));
            }
        }
        var removed = new List<NamespacedName>();
        foreach (var export in changes.RemovedExports.Distinct())
        {
            try
            {
                NameRules.RequireNamespacedName(export);
                if (!reports.ContainsKey(export) && state.State.Exports.Contains(export.ToString())) removed.Add(export);
            }
            catch (FleetValidationException ex)
            {
                rejected.Add(new SyncRejection(FleetApi.ServiceExport, export, ex.Field, ex.Detail));
            }
        }
        // New exports beyond the quota are refused one by one; the cluster's existing exports always take their reports.
        foreach (var (key, refusal) in QuotaRules.ExportsOverQuota(_options.Quotas, Name, state.State.Exports.Count - removed.Count,
                     reports.Keys.Where(k => !state.State.Exports.Contains(k.ToString())).ToList()))
        {
            reports.Remove(key);
            rejected.Add(new SyncRejection(FleetApi.ServiceExport, key, refusal.Field, refusal.Detail));
        }
        // A new export of a cluster whose lease has lapsed starts withdrawn, like the cluster's other exports.
        if (!state.State.LeaseLive)
            await Task.WhenAll(reports.Keys.Where(k => !state.State.Exports.Contains(k.ToString())).Select(k => Export(k).SetClusterLive(false)));
        var reported = await Task.WhenAll(reports.Select(async r =>
        {
            try
            {
                return (r.Key, View: await Export(r.Key).Report(r.Value), Error: (FleetValidationException?)null);
            }
            catch (FleetValidationException ex)
            {
                return (r.Key, View: (ServiceExportView?)null, Error: ex);
            }
        }));
        await Task.WhenAll(removed.Select(k => Export(k).Remove()));
        var changed = false;
        foreach (var (key, _, error) in reported)
            if (error is not null) rejected.Add(new SyncRejection(FleetApi.ServiceExport, key, error.Field, error.Detail));
            else changed |= state.State.Exports.Add(key.ToString());
        foreach (var key in removed) changed |= state.State.Exports.Remove(key.ToString());
        if (changed) await state.WriteStateAsync();
        return [.. reported.Where(r => r.View is not null).Select(r => r.View!)];
    }

    private async Task<IReadOnlyList<MultiClusterServiceView>> SyncMultiClusterServices(MemberChanges changes, List<SyncRejection> rejected)
    {
        var applied = new Dictionary<NamespacedName, MultiClusterServiceSpec>();
        foreach (var spec in changes.MultiClusterServices)
        {
            try
            {
                MultiClusterServiceValidation.Validate(spec);
                applied[new NamespacedName(spec.Namespace, spec.Name)] = spec;
            }
            catch (FleetValidationException ex)
            {
                rejected.Add(new SyncRejection(FleetApi.MultiClusterService, new NamespacedName(spec.Namespace, spec.Name), ex.Field, ex.Detail));
            }
        }
        var deleted = new List<NamespacedName>();
        foreach (var mcs in changes.DeletedMultiClusterServices.Distinct())
        {
            try
            {
                NameRules.RequireNamespacedName(mcs);
                if (!applied.ContainsKey(mcs) && state.State.MultiClusterServices.Contains(mcs.ToString())) deleted.Add(mcs);
            }
            catch (FleetValidationException ex)
            {
                rejected.Add(new SyncRejection(FleetApi.MultiClusterService, mcs, ex.Field, ex.Detail));
            }
        }
        // Recorded first: if Apply fails half-way, a later delete still finds (and cleans up) the MCS.
        var added = false;
        foreach (var key in applied.Keys) added |= state.State.MultiClusterServices.Add(key.ToString());
        if (added) await state.WriteStateAsync();
        var views = await Task.WhenAll(applied.Select(async a =>
        {
            try
            {
                return await Mcs(a.Key).Apply(a.Value);
            }
            catch (FleetValidationException ex)
            {
                rejected.Add(new SyncRejection(FleetApi.MultiClusterService, a.Key, ex.Field, ex.Detail));
                return null;
            }
        }));
        if (deleted.Count > 0)
        {
            await Task.WhenAll(deleted.Select(k => Mcs(k).Delete()));
            foreach (var key in deleted) state.State.MultiClusterServices.Remove(key.ToString());
            await state.WriteStateAsync();
        }
        return [.. views.Where(v => v is not null).Select(v => v!)];
    }

    public async Task<StatusWatch> Watch(IMemberStatusObserver observer)
    {
        RequireJoined();
        var subscribed = !Watchers.Observers.ContainsKey(observer);
        Watchers.Subscribe(observer, observer);
        await RecordHeartbeat(clock.GetUtcNow());
        return new StatusWatch(subscribed, subscribed ? View() : null, _options.HeartbeatInterval);
    }

    public Task Unwatch(IMemberStatusObserver observer)
    {
        Watchers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task OnStatusChanged(StatusChange change)
    {
        // A virtual cluster's objects are the hub's own: it sends the lost export again itself. An agent hears of it
        // on its status stream; one that is not connected re-sends everything when it reconnects anyway.
        if (change.Kind == StatusKind.ResendServiceExport && state.State.Virtual)
            return GrainFactory.GetGrain<IVirtualClusterGrain>(this.GetPrimaryKeyString()).Resend(change.Object);
        if (Watchers.Count > 0) Watchers.Notify(o => o.Changed(change));
        return Task.CompletedTask;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        // The reminder only guarantees that the lease is watched again after a silo loss; activation starts the timer.
        state.State.Joined ? CheckLease() : Task.CompletedTask;

    private async Task RecordHeartbeat(DateTimeOffset now)
    {
        _lastHeartbeat = now;
        _lastHeartbeatSeen = now;
        if (!state.State.LeaseLive || ConditionSet.Find(state.State.Conditions, ConditionTypes.Healthy) is null)
        {
            state.State.LeaseLive = true;
            SetCondition(ConditionTypes.Healthy, ConditionStatuses.True, ConditionReasons.HeartbeatReceived, $"cluster {Name} is heartbeating");
            await state.WriteStateAsync();
        }
        if (_leaseTimer is not null) StartLeaseTimer();
        if (!await PropagateLease()) ArmLeaseTimer(_options.HeartbeatInterval);
    }

    private async Task CheckLease()
    {
        if (!state.State.Joined) return;
        // A virtual member's objects live in the hub itself: there is nobody to heartbeat, and nothing to go stale.
        if (state.State.LeaseLive && !state.State.Virtual)
        {
            var left = LeaseRule.Remaining(_lastHeartbeat, clock.GetUtcNow(), _options.HeartbeatInterval, _options.MissedHeartbeats);
            if (left >= TimeSpan.Zero) ArmLeaseTimer(left + LeaseTimerSlack); // a heartbeat came in meanwhile
            else
            {
                state.State.LeaseLive = false;
                SetCondition(ConditionTypes.Healthy, ConditionStatuses.False, ConditionReasons.LeaseExpired,
                    $"no heartbeat from cluster {Name} for {LeaseRule.Duration(_options.HeartbeatInterval, _options.MissedHeartbeats).TotalSeconds:0.###}s ({_options.MissedHeartbeats} missed); its endpoints are withdrawn");
                await state.WriteStateAsync();
                logger.LogWarning("Lease of cluster {Cluster} expired; withdrawing its endpoints", Name);
            }
        }
        if (!await PropagateLease()) ArmLeaseTimer(_options.HeartbeatInterval);
    }

    /// <summary>Level-triggered: tells every export the current lease state until all have taken it.</summary>
    private async Task<bool> PropagateLease()
    {
        var live = state.State.LeaseLive;
        if (_propagatedLive == live) return true;
        try
        {
            await Task.WhenAll(state.State.Exports.Select(export => Export(NamespacedName.Parse(export)).SetClusterLive(live)));
            _propagatedLive = live;
            return true;
        }
        catch (Exception ex)
        {
            // The lease timer runs this again.
            logger.LogWarning(ex, "Could not tell the exports of cluster {Cluster} that its lease is {State}", Name, live ? "live" : "expired");
            return false;
        }
    }

    /// <summary>
    /// One timer per cluster, due when the lease would lapse: every heartbeat moves it out, so a live member's timer
    /// never fires (no periodic work per cluster) and a silent one's fires once, just past its lease.
    /// </summary>
    private void ArmLeaseTimer(TimeSpan due)
    {
        if (_leaseTimer is null)
            _leaseTimer = this.RegisterGrainTimer(_ => CheckLease(), new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        else _leaseTimer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private void StartLeaseTimer() =>
        ArmLeaseTimer(LeaseRule.Duration(_options.HeartbeatInterval, _options.MissedHeartbeats) + LeaseTimerSlack);

    private void RequireJoined()
    {
        if (!state.State.Joined)
            throw new FleetValidationException("cluster", $"cluster \"{Name}\" has not joined the fleet");
    }

    /// <summary>Joined and the lease change only together with a condition: fleetl4.clusters follows them here.</summary>
    private void SetCondition(string type, string status, string reason, string message)
    {
        state.State.Conditions = ConditionSet.Set(state.State.Conditions, type, status, reason, message, 0, clock.GetUtcNow()).ToList();
        ObserveHealth();
    }

    private void ObserveHealth() =>
        _health.Set(!state.State.Joined ? null : state.State.LeaseLive ? "healthy" : "lease-expired");

    private MemberClusterView View() => new(
        Name, state.State.Joined, new Dictionary<string, string>(state.State.Labels), state.State.JoinedAt,
        _lastHeartbeatSeen, state.State.Joined && state.State.LeaseLive, state.State.Conditions.ToArray(),
        state.State.Exports.Select(NamespacedName.Parse).Order().ToArray(),
        state.State.MultiClusterServices.Select(NamespacedName.Parse).Order().ToArray(),
        state.State.Virtual);

    private IServiceExportGrain Export(NamespacedName export) =>
        GrainFactory.GetGrain<IServiceExportGrain>(GrainKeys.Export(new ClusterNamespacedName(Name, export)));

    private IMultiClusterServiceGrain Mcs(NamespacedName mcs) =>
        GrainFactory.GetGrain<IMultiClusterServiceGrain>(GrainKeys.MultiClusterService(new ClusterNamespacedName(Name, mcs)));
}
