using Microsoft.Extensions.Options;

namespace FleetL4.LoadBalancing.Azure.Budget;

/// <summary>
/// One subscription's write budget: every load balancer grain on every silo takes its writes from here. A park
/// survives silo loss, and a new activation soon after another starts empty, so the 5-minute bound holds across
/// failover. It writes its state only when a park is set, once when it starts and once when it ends cleanly.
/// </summary>
public sealed class ArmWriteBudgetGrain(
    [PersistentState("azure-budget", StorageNames.Fleet)] IPersistentState<ArmWriteBudgetState> state,
    IOptions<AzureOptions> options,
    TimeProvider clock) : Grain, IArmWriteBudgetGrain
{
    private WriteBudget _budget = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        _budget = new WriteBudget(options.Value.WriteBudget, now, WriteBudget.StartsEmpty(state.State.ActivatedAt, state.State.EndedAt, now));
        if (state.State.ParkedUntil > now) _budget.Park(state.State.ParkedUntil, now);
        state.State.ActivatedAt = now;
        state.State.EndedAt = null;
        await state.WriteStateAsync(cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Best effort: if this write is lost (a crash), the next activation starts empty, which is safe.
        state.State.EndedAt = clock.GetUtcNow();
        await state.WriteStateAsync(cancellationToken);
    }

    public Task<TimeSpan> TryTake() => Task.FromResult(_budget.TryTake(clock.GetUtcNow()));

    public async Task Park(DateTimeOffset until)
    {
        if (until <= _budget.ParkedUntil) return;
        _budget.Park(until, clock.GetUtcNow());
        state.State.ParkedUntil = until;
        await state.WriteStateAsync();
    }

    public Task<DateTimeOffset?> ParkedUntil() =>
        Task.FromResult(_budget.ParkedUntil > clock.GetUtcNow() ? _budget.ParkedUntil : (DateTimeOffset?)null);
}
