using FleetL4.LoadBalancing.Azure.Arm;
using FleetL4.LoadBalancing.Azure.Budget;
using FleetL4.LoadBalancing.Azure.Model;
using FleetL4.Runtime;
using FleetL4.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FleetL4.LoadBalancing.Azure.Balancers;

/// <summary>
/// Owns every write to one shared Azure load balancer. Each reconcile is a non-interleaved timer turn: GET the LB,
/// compute the desired state from every MCS's spec, and write only the difference: nothing when they agree, one
/// pool sub-resource PUT when just one pool differs, else one whole-LB PUT (If-Match on the etag). Changes that
/// arrive meanwhile coalesce into the next turn. Writes take a token from the subscription's shared budget (a short
/// budget widens the window instead of failing); a 429 parks this LB (or the subscription) until Retry-After, and
/// while the subscription is parked no LB makes any call; a busy resource or a failure is retried with backoff; a
/// 412 is re-read at once, a repeated 412 with backoff.
/// </summary>
public sealed class AzureLoadBalancerGrain(
    [PersistentState("azure-lb", StorageNames.Fleet)] IPersistentState<AzureLoadBalancerState> state,
    ArmGateway arm,
    IOptions<AzureOptions> options,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<AzureLoadBalancerGrain> logger) : Grain, IAzureLoadBalancerGrain, IRemindable
{
    private const string ResyncReminder = "resync";
    private readonly AzureOptions _options = options.Value;
    private readonly List<(long Generation, TaskCompletionSource Done)> _waiters = [];
    private readonly Guid _activation = Guid.NewGuid();
    private readonly Dictionary<string, string?> _privateIps = new(StringComparer.Ordinal);
    private long _desired;
    private long _applied = -1;
    private TurnTimer? _timer;
    private DateTimeOffset? _parkedUntil;
    private TimeSpan _backoff;
    // After a failure or a repeated 412, no call before this: a new change or the resync reminder does not cut the backoff short.
    private DateTimeOffset? _notBefore;
    private int _preconditionFailures;
    private string? _lastWrite;
    private DateTimeOffset? _lastWriteAt;
    private string? _lastResult;
    private long _writes;
    private readonly StateTally _backlog = FleetMetrics.ReconcileBacklog();

    private string Name => this.GetPrimaryKeyString();
    private string Id => ArmIds.LoadBalancer(_options, Name);
    private bool IsInternal => Name.Contains("-internal", StringComparison.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _backoff = _options.RetryMin;
        _parkedUntil = state.State.ParkedUntil;
        if (state.State.AdoptedAt == default) state.State.AdoptedAt = clock.GetUtcNow();
        // After a silo loss the desired state is known from storage: make sure Azure holds it.
        if (state.State.Specs.Count > 0) Schedule(TimeSpan.Zero);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _backlog.Set(null); // the next activation counts itself
        return Task.CompletedTask;
    }

    public async Task<AzureLoadBalancerTicket> Set(AzureFrontendSpec spec)
    {
        var old = state.State.Specs.GetValueOrDefault(spec.McsId);
        state.State.Specs[spec.McsId] = spec;
        state.State.Released.Remove(spec.Name);
        // Endpoints are not persisted on every change (members resync them); the structure is.
        if (old is null || old with { Backends = spec.Backends } != spec) await state.WriteStateAsync();
        if (old is null) await this.RegisterOrUpdateReminder(ResyncReminder, ResyncPeriod, ResyncPeriod);
        return Changed();
    }

    public async Task<AzureLoadBalancerTicket> Remove(string mcsId)
    {
        if (state.State.Specs.Remove(mcsId, out var gone))
        {
            state.State.Released.Add(gone.Name);
            await state.WriteStateAsync();
        }
        _privateIps.Remove(mcsId);
        return Changed();
    }

    public Task Sweep(DateTimeOffset since)
    {
        if (since < state.State.AdoptedAt) state.State.AdoptedAt = since;
        _desired++;
        Schedule(TimeSpan.Zero);
        return Task.CompletedTask;
    }

    public async Task<AzureFrontendResult> WaitFor(string mcsId, AzureLoadBalancerTicket ticket, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (ticket.Activation != _activation) throw Restarted();
        if (_applied < ticket.Generation)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((ticket.Generation, done));
            // A stopping silo waits for running calls: this one must not hold it for a park of minutes.
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
            try
            {
                await done.Task.WaitAsync(timeout, clock, stopping.Token);
            }
            catch (TimeoutException)
            {
                var why = _parkedUntil is { } until ? $"parked until {until:u} after a 429" : _lastResult ?? "no write yet";
                throw new TimeoutException($"load balancer {Name} has not taken the change yet ({why})");
            }
            finally
            {
                _waiters.RemoveAll(w => w.Done == done);
            }
        }
        return new AzureFrontendResult(_privateIps.GetValueOrDefault(mcsId));
    }

    private InvalidOperationException Restarted() =>
        new($"load balancer {Name} was restarted before it took the change; the change is sent again");

    public async Task<AzureLoadBalancerStatus> Describe()
    {
        var subscriptionParked = await Budget.ParkedUntil();
        var parked = new[] { _parkedUntil, subscriptionParked }.Where(p => p > clock.GetUtcNow()).Max();
        return new AzureLoadBalancerStatus(Id, _lastWrite, _lastWriteAt, _lastResult, parked, _writes);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Specs.Count == 0)
        {
            if (await this.GetReminder(ResyncReminder) is { } reminder) await this.UnregisterReminder(reminder);
            if (_applied == _desired) return;
        }
        // Level-triggered repair: a pool changed behind our back is found by the next GET and written back.
        _desired++;
        Schedule(TimeSpan.Zero);
    }

    /// <summary>One GET per load balancer this often (a handful of LBs per fleet), to find and repair drift.</summary>
    private TimeSpan ResyncPeriod => _options.ResyncPeriod;

    private IArmWriteBudgetGrain Budget => GrainFactory.GetGrain<IArmWriteBudgetGrain>(_options.SubscriptionId!);

    private AzureLoadBalancerTicket Changed()
    {
        _desired++;
        Schedule(_options.CoalescingWindow);
        return new AzureLoadBalancerTicket(_activation, _desired);
    }

    /// <summary>The write is a turn of its own, so two writes on this LB never overlap. Scheduled means not converged.</summary>
    private void Schedule(TimeSpan due)
    {
        _backlog.Set("azure-lb");
        (_timer ??= new TurnTimer(this, clock, _ => ReconcileOnce())).Schedule(due);
    }

    private async Task ReconcileOnce()
    {
        var now = clock.GetUtcNow();
        if (_parkedUntil > now) { Schedule(_parkedUntil.Value - now); return; }
        if (_notBefore > now) { Schedule(_notBefore.Value - now); return; }
        // ARM throttled the subscription (on any LB or public IP): no read or write on this LB either until then.
        if (await Budget.ParkedUntil() is { } subscription && subscription > now) { Schedule(subscription - now); return; }
        var generation = _desired;
        try
        {
            var current = await arm.GetAsync(Id, CancellationToken.None);
            var actual = current is null ? new LoadBalancerModel() : ArmLoadBalancerJson.Parse(current.Body);
            var removeOrphans = now >= state.State.AdoptedAt + _options.OrphanGracePeriod;
            var released = state.State.Released.ToArray();
            var desired = DesiredLoadBalancer.Compute(actual, state.State.Specs.Values, Settings, removeOrphans, released);
            if (desired.Frontends.Count == 0 && state.State.Specs.Count == 0)
            {
                // Nothing left on it: an empty load balancer still costs money.
                if (current is not null && !await Write($"DELETE loadBalancer {Name}", () => arm.DeleteAsync(Id, CancellationToken.None))) return;
                if (current is not null) await DeleteOrphanPublicIps(actual, new LoadBalancerModel());
                await Applied(generation, current is null ? actual : new LoadBalancerModel(), released);
                return;
            }
            if (desired.SameAs(actual))
            {
                await Applied(generation, actual, released);
                return;
            }
            var pools = desired.PoolsDifferingFrom(actual);
            ArmResponse? written = null;
            bool ok;
            if (current is not null && desired.SameStructure(actual) && pools.Count == 1)
            {
                // Endpoint-only change of one MCS: PUT just its pool, guarded by the pool's own etag.
                var pool = pools[0];
                var poolEtag = current.Body["properties"]?["backendAddressPools"]?.AsArray()
                    .FirstOrDefault(p => p?["name"]?.GetValue<string>() == pool)?["etag"]?.GetValue<string>();
                ok = await Write($"PUT pool {pool}", async () => written = await arm.PutAsync(ArmIds.Pool(_options, Name, pool),
                    ArmLoadBalancerJson.RenderPool(pool, desired.Pools[pool], _options), poolEtag, CancellationToken.None));
                if (ok) written = await arm.GetAsync(Id, CancellationToken.None);
            }
            else
            {
                var body = ArmLoadBalancerJson.Render(desired, _options, Name, new Dictionary<string, string> { [AzureNames.McsTag] = "shared" });
                ok = await Write($"PUT loadBalancer {Name}", async () => written = await arm.PutAsync(Id, body, current?.ETag, CancellationToken.None));
            }
            if (!ok) return;
            var result = written is null ? desired : ArmLoadBalancerJson.Parse(written.Body);
            await DeleteOrphanPublicIps(actual, result);
            await Applied(generation, result, released);
        }
        catch (ArmException ex) when (!ex.IsPreconditionFailed)
        {
            // A read failed: same handling as a failed write.
            await Failed("GET loadBalancer", ex);
        }
        catch (ArmException ex)
        {
            PreconditionFailed(ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            await Failed("GET loadBalancer", ex);
        }
    }

    /// <summary>Takes a budget token and writes; false when the write must wait or failed (a retry is scheduled).</summary>
    private async Task<bool> Write(string what, Func<Task> write)
    {
        var wait = await Budget.TryTake();
        if (wait > TimeSpan.Zero)
        {
            // Short of budget: wait and coalesce more changes into this write, rather than fail.
            Schedule(wait);
            return false;
        }
        _lastWrite = what;
        _lastWriteAt = clock.GetUtcNow();
        _writes++;
        try
        {
            await write();
            _lastResult = "Succeeded";
            _backoff = _options.RetryMin;
            _notBefore = null;
            _preconditionFailures = 0;
            return true;
        }
        catch (ArmException ex) when (ex.IsPreconditionFailed)
        {
            PreconditionFailed(ex);
            return false;
        }
        catch (Exception ex) when (ex is ArmException or HttpRequestException or TaskCanceledException or IOException)
        {
            await Failed(what, ex);
            return false;
        }
    }

    /// <summary>Someone wrote since our GET: read again and redo the diff, at once the first time; when it keeps
    /// happening (another writer racing us), with a delay doubling up to RetryMax, so we do not spin against it.</summary>
    private void PreconditionFailed(ArmException ex)
    {
        _lastResult = ex.Message;
        var delay = _preconditionFailures == 0
            ? TimeSpan.Zero
            : TimeSpan.FromTicks(Math.Min(_options.RetryMin.Ticks << Math.Min(_preconditionFailures - 1, 30), _options.RetryMax.Ticks));
        _preconditionFailures++;
        _notBefore = clock.GetUtcNow() + delay;
        Schedule(delay);
    }

    private async Task Failed(string what, Exception ex)
    {
        _lastResult = ex.Message;
        var now = clock.GetUtcNow();
        if (ex is ArmException { Status: System.Net.HttpStatusCode.TooManyRequests, IsBusyResource: false } throttled)
        {
            var until = now + (throttled.RetryAfter ?? _options.RetryMax);
            if (throttled.Code.Contains("Subscription", StringComparison.OrdinalIgnoreCase))
                await Budget.Park(until); // every LB of the subscription waits
            await Park(until);
            logger.LogWarning("{What} on {Lb} throttled ({Code}); no call until {Until:u}", what, Name, throttled.Code, until);
            Schedule(until - now);
            return;
        }
        // A busy resource (or a 5xx) may say when to come back: no call on this LB before then.
        var delay = ex is ArmException { RetryAfter: { } after } && after > _backoff ? after : _backoff;
        if (ex is ArmException { RetryAfter: not null }) await Park(now + delay);
        _notBefore = now + delay;
        logger.LogWarning("{What} on {Lb} failed ({Error}); retrying in {Delay}", what, Name, ex.Message, delay);
        Schedule(delay);
        _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, _options.RetryMax.Ticks));
    }

    /// <summary>Kept in state, so an activation on another silo after a silo loss waits as well.</summary>
    private async Task Park(DateTimeOffset until)
    {
        _parkedUntil = until;
        state.State.ParkedUntil = until;
        await state.WriteStateAsync();
    }

    private async Task Applied(long generation, LoadBalancerModel held, IReadOnlyCollection<string> released)
    {
        _parkedUntil = null;
        var unpark = state.State.ParkedUntil is not null;
        state.State.ParkedUntil = null;
        if (released.Count > 0 || unpark)
        {
            state.State.Released.ExceptWith(released);
            await state.WriteStateAsync();
        }
        foreach (var (mcs, spec) in state.State.Specs)
            if (held.Frontends.TryGetValue(spec.Name, out var frontend)) _privateIps[mcs] = frontend.PrivateIp;
        _applied = Math.Max(_applied, generation);
        _backlog.Set(_applied < _desired ? "azure-lb" : null);
        // Each wait removes itself from the list when it ends.
        foreach (var waiter in _waiters.Where(w => w.Generation <= _applied).ToArray()) waiter.Done.TrySetResult();
        // Changes that arrived during this turn scheduled their own reconcile.
        if (_applied < _desired && _timer?.Pending != true) Schedule(_options.CoalescingWindow);
    }

    /// <summary>Public IPs of orphaned frontends this write removed (tagged as ours) are deleted too.</summary>
    private async Task DeleteOrphanPublicIps(LoadBalancerModel before, LoadBalancerModel after)
    {
        foreach (var gone in before.Frontends.Values.Where(f => f.PublicIpId is not null && !after.Frontends.ContainsKey(f.Name)
                     && f.Name.StartsWith(AzureNames.Prefix, StringComparison.Ordinal)
                     && !state.State.Specs.Values.Any(s => s.PublicIpId == f.PublicIpId)))
        {
            var ip = await arm.GetAsync(gone.PublicIpId!, CancellationToken.None);
            if (ip?.Body["tags"]?[AzureNames.McsTag] is null) continue;
            await Write($"DELETE publicIPAddress {ArmIds.NameOf(gone.PublicIpId!)}", () => arm.DeleteAsync(gone.PublicIpId!, CancellationToken.None));
        }
    }

    private LoadBalancerSettings Settings => new(
        IsInternal ? _options.InternalSubnetId : null, _options.ProbeIntervalSeconds, _options.ProbeThreshold, _options.IdleTimeoutMinutes);
}
