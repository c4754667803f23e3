using Microsoft.Extensions.DependencyInjection;
using FleetL4.Domain;
using FleetL4.LoadBalancing;
using FleetL4.Models;
using FleetL4.Runtime;
using FleetL4.State;
using FleetL4.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FleetL4;

/// <summary>
/// One MultiClusterService: binds to its ServiceImport, keeps the backend set the import pushes, and drives one
/// load balancer through the provider. The first change after a quiet period goes to the provider at once; changes
/// within the coalescing window after a call started become one trailing call. At most one call is in flight (the
/// sync runs as a non-interleaved timer turn), and after each call the newest desired state is sent if it moved
/// meanwhile. A failed call is retried with backoff, and a reminder keeps the load
/// balancer converged across silo loss for the MCS's whole life.
/// </summary>
public sealed class MultiClusterServiceGrain(
    [PersistentState("mcs", StorageNames.Fleet)] IPersistentState<MultiClusterServiceState> state,
    ILoadBalancerProvider provider,
    IOptions<FleetOptions> options,
    [FromKeyedServices(GrainClock.Key)] TimeProvider clock,
    ILogger<MultiClusterServiceGrain> logger) : Grain, IMultiClusterServiceGrain, IRemindable, IIncomingGrainCallFilter
{
    private const string SyncReminder = "sync";
    private readonly FleetOptions _options = options.Value;
    private readonly HashSet<Backend> _backends = [];
    private ImportInfo _info = ImportInfo.Empty;
    private long _importVersion = -1;
    private bool _bound;
    private long _desired;
    private long _applied;
    private string? _lastError;
    private TimeSpan _retryDelay;
    // While the provider fails, no call before this (new changes and reminder ticks wait for the backoff too).
    private DateTimeOffset? _retryAt;
    private IpFamily? _reserved; // the family the hub's frontend pool confirmed this activation's address in
    private TurnTimer? _syncTimer;
    private DateTimeOffset? _lastCallStarted;
    private MultiClusterServiceCheck _check = new(false, null, null);
    private readonly StatusNotifier _status = new(StatusKind.MultiClusterService);
    private readonly PropagationTracker _propagation = new(provider);
    private readonly StateTally _backlog = FleetMetrics.ReconcileBacklog();

    private ClusterNamespacedName? _key;

    private ClusterNamespacedName Key => _key ??= ClusterNamespacedName.Parse(this.GetPrimaryKeyString());

    /// <summary>The load balancer id the provider knows this MCS by.</summary>
    private string LoadBalancerId => this.GetPrimaryKeyString();

    private IServiceImportGrain Import(string name) =>
        GrainFactory.GetGrain<IServiceImportGrain>(GrainKeys.Import(Key.Namespace, name));

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _retryDelay = _options.ProviderRetryMin;
        _status.Baseline(state.State.Spec is not null, state.State.Conditions, state.State.FrontendIp, null);
        if (state.State.Deleting) ScheduleSync(TimeSpan.Zero);
        else if (state.State.Spec is { } spec)
        {
            _check = MultiClusterServiceValidation.Validate(spec);
            if (_check.SpecError is null) await BindAndSync();
            else if (state.State.FrontendIp is not null) MarkChanged(); // a frontend it held keeps its address, without backends
        }
    }

    /// <summary>After every call: if the status the member shows changed, its cluster's status watchers hear of it.</summary>
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        await context.Invoke();
        ObserveStatus();
        ObserveBacklog();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _backlog.Set(null); // the next activation counts itself
        return Task.CompletedTask;
    }

    private void ObserveStatus() =>
        _status.Observe(GrainFactory, Key, state.State.Spec is not null, state.State.Conditions, state.State.FrontendIp, _info);

    /// <summary>In the backlog while the load balancer has not taken the newest desired state (or the deletion).</summary>
    private void ObserveBacklog() =>
        _backlog.Set(state.State.Deleting || (state.State.Spec is not null && _applied != _desired) ? "mcs" : null);

    public async Task<MultiClusterServiceView> Apply(MultiClusterServiceSpec spec)
    {
        var check = MultiClusterServiceValidation.Validate(spec);
        if (new NamespacedName(spec.Namespace, spec.Name) != Key.Object)
            throw new FleetValidationException("metadata.name", $"spec for {spec.Namespace}/{spec.Name} sent to {Key.Object}");
        var old = state.State.Spec;
        if (old is not null && _check.SpecError is null && (old.ServiceImportName != spec.ServiceImportName || check.SpecError is not null))
        {
            await Import(old.ServiceImportName).Unbind(Key);
            _bound = false;
            Replace(new ImportUpdate(-1, 0, true, ImportInfo.Empty, [], []));
        }
        _check = check;
        if (old is null || state.State.Deleting) state.State.CreationTimestamp = clock.GetUtcNow();
        state.State.Deleting = false;
        state.State.Spec = spec with { Annotations = new Dictionary<string, string>(spec.Annotations ?? new Dictionary<string, string>()) };
        state.State.Internal = check.Internal;
        await state.WriteStateAsync();
        await this.RegisterOrUpdateReminder(SyncReminder, _options.ReminderPeriod, _options.ReminderPeriod);
        if (check.SpecError is not null)
        {
            // Valid=False and no import: a frontend it already has keeps its address (stable IP), but sends nowhere.
            await UpdateValidCondition();
            if (state.State.FrontendIp is not null) MarkChanged();
        }
        else if (_bound)
        {
            await UpdateValidCondition(); // observedGeneration follows the spec
            MarkChanged();
        }
        else await BindAndSync();
        return View();
    }

    public async Task Delete()
    {
        var spec = state.State.Spec;
        if (spec is null && !state.State.Deleting) return;
        // Idempotent, also when Bind never finished; an MCS with a bad spec was never bound.
        if (spec is not null && _check.SpecError is null) await Import(spec.ServiceImportName).Unbind(Key);
        _bound = false;
        _backends.Clear();
        _propagation.Changed();
        state.State.Deleting = true;
        state.State.Spec = null;
        await state.WriteStateAsync();
        await DeleteLoadBalancer();
    }

    public Task<MultiClusterServiceView> Get() => Task.FromResult(View());

    public async Task<MultiClusterServiceView> Describe()
    {
        var view = View();
        if (!view.Exists) return view;
        // Read-only and quick (the provider answers from memory or a grain), so it may interleave with a slow sync.
        return view with { LoadBalancerDetails = await provider.DescribeAsync(LoadBalancerId, CancellationToken.None) };
    }

    public async Task OnImportUpdate(ImportUpdate update)
    {
        if (state.State.Spec is null || !_bound) return;
        var infoChanged = true;
        if (update.IsSnapshot)
        {
            if (update.Version < _importVersion) return;
            Replace(update);
        }
        else if (update.BaseVersion == _importVersion)
        {
            foreach (var b in update.Removed) _backends.Remove(b);
            foreach (var b in update.Added) _backends.Add(b);
            _info = update.Info;
            _importVersion = update.Version;
            infoChanged = update.InfoChanged;
        }
        else if (update.Version > _importVersion)
        {
            // A delta was lost or reordered: take the whole state instead.
            Replace(await Import(state.State.Spec.ServiceImportName).GetSnapshot());
        }
        else return;
        // An endpoint-only delta leaves the import's clusters alone: the Valid condition cannot have changed.
        if (infoChanged) await UpdateValidCondition();
        MarkChanged();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Deleting) { await DeleteLoadBalancer(); return; }
        if (state.State.Spec is null)
        {
            await UnregisterSyncReminder();
            return;
        }
        if (_check.SpecError is not null)
        {
            if (_applied != _desired) ScheduleCoalesced();
        }
        else if (!_bound) await BindAndSync();
        else
        {
            // Level-triggered: compare with the import now and then, in case a one-way delta was lost.
            var snapshot = await Import(state.State.Spec.ServiceImportName).GetSnapshot();
            if (snapshot.Version != _importVersion)
            {
                Replace(snapshot);
                await UpdateValidCondition();
                MarkChanged();
            }
            else if (_applied != _desired) ScheduleCoalesced();
        }
    }

    private async Task BindAndSync()
    {
        Replace(await Import(state.State.Spec!.ServiceImportName).Bind(Key));
        _bound = true;
        await UpdateValidCondition();
        MarkChanged();
    }

    private void Replace(ImportUpdate snapshot)
    {
        _backends.Clear();
        _backends.UnionWith(snapshot.Added);
        _info = snapshot.Info;
        _importVersion = snapshot.Version;
    }

    private async Task UpdateValidCondition()
    {
        var before = state.State.Conditions;
        var spec = state.State.Spec!;
        var import = new NamespacedName(spec.Namespace, spec.ServiceImportName);
        var found = _info.Clusters.Count > 0;
        var (status, reason, message) =
            _check.SpecError is { } error ? (ConditionStatuses.False, ConditionReasons.InvalidSpec, ConditionMessages.InvalidSpec(error.Field, error.Detail))
            : found ? (ConditionStatuses.True, ConditionReasons.FoundServiceImport, ConditionMessages.FoundServiceImport(import, _info.Clusters))
            : (ConditionStatuses.Unknown, ConditionReasons.UnknownServiceImport, ConditionMessages.UnknownServiceImport(import));
        if (_check.Warning is { } warning) message += $"; {warning}";
        state.State.Conditions = ConditionSet.Set(state.State.Conditions, ConditionTypes.Valid, status, reason, message,
            spec.Generation, clock.GetUtcNow()).ToList();
        if (!before.SequenceEqual(state.State.Conditions)) await state.WriteStateAsync();
    }

    /// <summary>The desired state moved: sync now, or when the window of the last call ends (or sooner if scheduled).</summary>
    private void MarkChanged()
    {
        _desired++;
        _propagation.Changed();
        ScheduleCoalesced();
    }

    private void ScheduleCoalesced()
    {
        var now = clock.GetUtcNow();
        var due = CoalescingRule.Due(_lastCallStarted, now, _options.CoalescingWindow);
        if (_retryAt is { } retry && retry - now > due) due = retry - now;
        ScheduleSync(due);
    }

    /// <summary>The provider call is a turn of its own, so two calls for this MCS never overlap.</summary>
    private void ScheduleSync(TimeSpan due) => (_syncTimer ??= new TurnTimer(this, clock, SyncOnce)).Schedule(due);

    private async Task SyncOnce(CancellationToken cancellationToken)
    {
        try
        {
            await SyncProvider(cancellationToken);
        }
        finally
        {
            ObserveBacklog(); // a timer turn, not a call: no filter runs
        }
    }

    private async Task SyncProvider(CancellationToken cancellationToken)
    {
        if (state.State.Deleting) { await DeleteLoadBalancer(); return; }
        if (state.State.Spec is null || _applied == _desired) return;
        var version = _desired;
        var spec = DesiredLoadBalancer();
        _lastCallStarted = clock.GetUtcNow();
        using var call = _propagation.Start("ensure", LoadBalancerId);
        try
        {
            if (provider.UsesHubFrontendPool && (_reserved != spec.Family || spec.FrontendIp is null))
            {
                // Once per activation and family: the hub's pool confirms the address (or hands one out).
                spec = spec with { FrontendIp = await Frontends.Reserve(LoadBalancerId, spec.Family == IpFamily.IPv6, spec.FrontendIp) };
                _reserved = spec.Family;
            }
            var ip = await provider.EnsureAsync(spec, cancellationToken);
            call.Succeeded();
            _applied = version;
            _lastError = null;
            _retryDelay = _options.ProviderRetryMin;
            _retryAt = null;
            if (ip != state.State.FrontendIp)
            {
                state.State.FrontendIp = ip;
                await state.WriteStateAsync();
                ObserveStatus(); // a timer turn, not a call: no filter runs
            }
        }
        catch (Exception ex)
        {
            call.Failed(ex);
            _lastError = ex.Message;
            logger.LogWarning(ex, "Load balancer of {Mcs} not updated; retrying in {Delay}", LoadBalancerId, _retryDelay);
            _retryAt = clock.GetUtcNow() + _retryDelay;
            ScheduleSync(_retryDelay);
            _retryDelay = TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, _options.ProviderRetryMax.Ticks));
            return;
        }
        // Changes that arrived meanwhile queued behind this turn: one trailing call when this call's window ends.
        if (_applied != _desired) ScheduleCoalesced();
    }

    private IFrontendPoolGrain Frontends => GrainFactory.GetGrain<IFrontendPoolGrain>(GrainKeys.Frontends);

    private async Task DeleteLoadBalancer()
    {
        using var call = _propagation.Start("delete", LoadBalancerId);
        try
        {
            await provider.DeleteAsync(LoadBalancerId, CancellationToken.None);
            if (provider.UsesHubFrontendPool) await Frontends.Release(LoadBalancerId);
            call.Succeeded();
        }
        catch (Exception ex)
        {
            call.Failed(ex);
            _lastError = ex.Message;
            logger.LogWarning(ex, "Load balancer of {Mcs} not deleted; the reminder retries", LoadBalancerId);
            await this.RegisterOrUpdateReminder(SyncReminder, _options.ReminderPeriod, _options.ReminderPeriod);
            return;
        }
        _syncTimer?.Cancel();
        await state.ClearStateAsync();
        ObserveStatus();
        await UnregisterSyncReminder();
        DeactivateOnIdle();
    }

    private async Task UnregisterSyncReminder()
    {
        var reminder = await this.GetReminder(SyncReminder);
        if (reminder is not null) await this.UnregisterReminder(reminder);
    }

    private LoadBalancerSpec DesiredLoadBalancer()
    {
        var family = Family();
        var backends = _backends.Where(b => EndpointSelection.IsIPv6(b.Address) == (family == IpFamily.IPv6)).ToArray(); // a set: no sort on this path
        var keep = state.State.FrontendIp is { } ip && EndpointSelection.IsIPv6(ip) == (family == IpFamily.IPv6) ? ip : null;
        return new(LoadBalancerId, keep, state.State.Internal,
            _info.Ports.Select(p => new FrontendPort(p.Port, p.Protocol, p.BackendPort)).ToArray(),
            backends, _info.SessionAffinity, family);
    }

    /// <summary>IPv4 unless every backend is IPv6 (a dual-stack import is served on IPv4, as most clients are).</summary>
    private IpFamily Family() =>
        _backends.Count > 0 && _backends.All(b => EndpointSelection.IsIPv6(b.Address)) ? IpFamily.IPv6 : IpFamily.IPv4;

    private MultiClusterServiceView View()
    {
        var spec = state.State.Spec;
        return new MultiClusterServiceView(Key.Cluster, Key.Namespace, Key.Name, spec is not null,
            spec?.ServiceImportName ?? "", state.State.Internal, state.State.FrontendIp, state.State.CreationTimestamp,
            state.State.Conditions.ToArray(), _info,
            _backends.OrderBy(b => b.Cluster, StringComparer.Ordinal).ThenBy(b => b.Address, StringComparer.Ordinal).ToArray(),
            spec is not null && _applied == _desired, _lastError,
            state.State.FrontendIp is { } frontend && EndpointSelection.IsIPv6(frontend) ? "IPv6" : "IPv4");
    }
}
