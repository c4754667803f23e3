using FleetL4.Domain;
using FleetL4.Models;
using FleetL4.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
    TimeProvider clock,
    ILogger<MemberClusterGrain> logger) : Grain, IMemberClusterGrain, IRemindable
{
    private const string LeaseReminder = "lease";
    private readonly FleetOptions _options = options.Value;
    private DateTimeOffset _lastHeartbeat;
    private DateTimeOffset? _lastHeartbeatSeen;
    private bool? _propagatedLive;
    private IGrainTimer? _leaseTimer;

    private string Name => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Heartbeats are not persisted (they would be a storage write each): a reactivated cluster gets a fresh lease.
        _lastHeartbeat = clock.GetUtcNow();
        if (state.State.Joined) StartLeaseTimer();
        return Task.CompletedTask;
    }

    public async Task<MemberClusterView> Join(IReadOnlyDictionary<string, string> labels, bool isVirtual = false)
    {
        NameRules.RequireDns1123Label("cluster", Name);
        LabelRules.Validate(labels);
        var now = clock.GetUtcNow();
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
        return View();
    }

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

    public async Task<ServiceExportView> ReportExport(ServiceExportReport report)
    {
        RequireJoined();
        // The one place a report is checked: its names make the export's key.
        report = ExportValidation.Normalize(report);
        var key = new NamespacedName(report.Namespace, report.Name);
        var export = Export(key);
        // A new export of a cluster whose lease has lapsed starts withdrawn, like the cluster's other exports.
        if (!state.State.Exports.Contains(key.ToString()) && !state.State.LeaseLive) await export.SetClusterLive(false);
        var view = await export.Report(report);
        if (state.State.Exports.Add(key.ToString())) await state.WriteStateAsync();
        return view;
    }

    public async Task RemoveExport(NamespacedName export)
    {
        NameRules.RequireNamespacedName(export);
        if (!state.State.Exports.Contains(export.ToString())) return;
        await Export(export).Remove();
        state.State.Exports.Remove(export.ToString());
        await state.WriteStateAsync();
    }

    public async Task<MultiClusterServiceView> ApplyMultiClusterService(MultiClusterServiceSpec spec)
    {
        RequireJoined();
        MultiClusterServiceValidation.Validate(spec);
        // Recorded first: if Apply fails half-way, a later delete still finds (and cleans up) the MCS.
        var key = new NamespacedName(spec.Namespace, spec.Name);
        if (state.State.MultiClusterServices.Add(key.ToString())) await state.WriteStateAsync();
        return await Mcs(key).Apply(spec);
    }

    public async Task DeleteMultiClusterService(NamespacedName mcs)
    {
        NameRules.RequireNamespacedName(mcs);
        if (!state.State.MultiClusterServices.Contains(mcs.ToString())) return;
        await Mcs(mcs).Delete();
        state.State.MultiClusterServices.Remove(mcs.ToString());
        await state.WriteStateAsync();
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
        await PropagateLease();
    }

    private async Task CheckLease()
    {
        if (!state.State.Joined) return;
        // A virtual member's objects live in the hub itself: there is nobody to heartbeat, and nothing to go stale.
        if (state.State.LeaseLive && !state.State.Virtual && !LeaseRule.IsLive(_lastHeartbeat, clock.GetUtcNow(), _options.HeartbeatInterval, _options.MissedHeartbeats))
        {
            state.State.LeaseLive = false;
            SetCondition(ConditionTypes.Healthy, ConditionStatuses.False, ConditionReasons.LeaseExpired,
                $"no heartbeat from cluster {Name} for {LeaseRule.Duration(_options.HeartbeatInterval, _options.MissedHeartbeats).TotalSeconds:0.###}s ({_options.MissedHeartbeats} missed); its endpoints are withdrawn");
            await state.WriteStateAsync();
            logger.LogWarning("Lease of cluster {Cluster} expired; withdrawing its endpoints", Name);
        }
        await PropagateLease();
    }

    /// <summary>Level-triggered: tells every export the current lease state until all have taken it.</summary>
    private async Task PropagateLease()
    {
        var live = state.State.LeaseLive;
        if (_propagatedLive == live) return;
        try
        {
            await Task.WhenAll(state.State.Exports.Select(export => Export(NamespacedName.Parse(export)).SetClusterLive(live)));
            _propagatedLive = live;
        }
        catch (Exception ex)
        {
            // The lease timer runs this again.
            logger.LogWarning(ex, "Could not tell the exports of cluster {Cluster} that its lease is {State}", Name, live ? "live" : "expired");
        }
    }

    private void StartLeaseTimer()
    {
        if (_leaseTimer is not null) return;
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(20).Ticks, _options.HeartbeatInterval.Ticks / 2));
        _leaseTimer = this.RegisterGrainTimer(_ => CheckLease(), new GrainTimerCreationOptions(period, period) { KeepAlive = true });
    }

    private void RequireJoined()
    {
        if (!state.State.Joined)
            throw new FleetValidationException("cluster", $"cluster \"{Name}\" has not joined the fleet");
    }

    private void SetCondition(string type, string status, string reason, string message) =>
        state.State.Conditions = ConditionSet.Set(state.State.Conditions, type, status, reason, message, 0, clock.GetUtcNow()).ToList();

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
