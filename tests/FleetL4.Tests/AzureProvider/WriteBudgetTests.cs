using FleetL4.LoadBalancing.Azure.Balancers;
using FleetL4.LoadBalancing.Azure.Budget;

namespace FleetL4.Tests.AzureProvider;

public sealed class WriteBudgetTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void No_five_minute_window_ever_holds_more_writes_than_the_budget()
    {
        var budget = new WriteBudget(1000, T0);
        var writes = new List<DateTimeOffset>();
        // Ask as often as possible (every 10 ms) for 20 minutes of virtual time.
        for (var t = T0; t < T0.AddMinutes(20); t = t.AddMilliseconds(10))
            if (budget.TryTake(t) == TimeSpan.Zero) writes.Add(t);
        var most = writes.Select((w, i) => writes.Skip(i).TakeWhile(x => x < w + WriteBudget.Window).Count()).Max();
        Assert.True(most <= 1000, $"{most} writes in one 5-minute window");
        Assert.True(most >= 950, $"only {most}: the budget is wasted"); // and it is nearly all used
    }

    [Fact]
    public void A_short_budget_says_how_long_to_wait_and_a_park_holds_everything()
    {
        var budget = new WriteBudget(10, T0);
        Assert.Equal(TimeSpan.Zero, budget.TryTake(T0)); // burst of one (a tenth)
        var wait = budget.TryTake(T0);
        Assert.True(wait > TimeSpan.Zero && wait <= TimeSpan.FromSeconds(34), wait.ToString());
        Assert.Equal(TimeSpan.Zero, budget.TryTake(T0 + wait));

        budget.Park(T0.AddMinutes(2), T0);
        Assert.Equal(TimeSpan.FromSeconds(90), budget.TryTake(T0.AddSeconds(30)));
    }

    [Fact]
    public void Placement_fills_one_load_balancer_then_opens_the_next_and_keeps_kinds_apart()
    {
        var placement = new LoadBalancerPlacement();
        for (var i = 0; i < LoadBalancerPlacement.MaxFrontends; i++)
            Assert.Equal(((false, 1), ((bool, int)?)null), placement.Assign($"c/ns/mcs-{i}", false, 1));
        Assert.Equal((false, 2), placement.Assign("c/ns/one-more", false, 1).Now);
        Assert.Equal((true, 1), placement.Assign("c/ns/internal", true, 1).Now);
        // Switching kind moves it and says where it was.
        Assert.Equal(((true, 1), (false, 1)), placement.Assign("c/ns/mcs-0", true, 1));
        // 1,500 rules per LB: an MCS with many ports goes where they fit.
        Assert.Equal((true, 2), placement.Assign("c/ns/many-ports", true, LoadBalancerPlacement.MaxRules).Now);
    }
}
