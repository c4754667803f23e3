using Microsoft.Extensions.Options;

namespace FleetL4.LoadBalancing.Azure.Budget;

/// <summary>One subscription's write budget: every load balancer grain on every silo takes its writes from here.</summary>
public sealed class ArmWriteBudgetGrain(IOptions<AzureOptions> options, TimeProvider clock) : Grain, IArmWriteBudgetGrain
{
    private WriteBudget? _budget;

    private WriteBudget Budget => _budget ??= new WriteBudget(options.Value.WriteBudget, clock.GetUtcNow());

    public Task<TimeSpan> TryTake() => Task.FromResult(Budget.TryTake(clock.GetUtcNow()));

    public Task Park(DateTimeOffset until)
    {
        Budget.Park(until, clock.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task<DateTimeOffset?> ParkedUntil() =>
        Task.FromResult(Budget.ParkedUntil > clock.GetUtcNow() ? Budget.ParkedUntil : (DateTimeOffset?)null);
}
