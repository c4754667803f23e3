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

    /// <summary>The most writes in any 5-minute window.</summary>
    private static int MostInAWindow(List<DateTimeOffset> writes) =>
        writes.Select((w, i) => writes.Skip(i).TakeWhile(x => x < w + WriteBudget.Window).Count()).Max();

    private static void Spend(WriteBudget budget, DateTimeOffset from, DateTimeOffset to, List<DateTimeOffset> writes)
    {
        for (var t = from; t < to; t = t.AddMilliseconds(50))
            while (budget.TryTake(t) == TimeSpan.Zero) writes.Add(t);
    }

    [Theory]
    [InlineData(true, 1000)]
    [InlineData(false, 1100)] // a full burst on top overruns the budget by that burst
    public void After_a_failover_the_new_budget_starts_empty_so_no_window_holds_more_than_the_budget(bool empty, int most)
    {
        // The first activation spends all it may for 2 minutes (its burst and its refill), then its silo dies and a new
        // one starts at once: it never said it ended, so the rule says start empty.
        var writes = new List<DateTimeOffset>();
        Spend(new WriteBudget(1000, T0), T0, T0.AddMinutes(2), writes);
        var failover = T0.AddMinutes(2);
        Assert.True(WriteBudget.StartsEmpty(T0, null, failover));
        Spend(new WriteBudget(1000, failover, empty), failover, failover.AddMinutes(6), writes);
        Assert.InRange(MostInAWindow(writes), most - 10, most);
    }

    [Fact]
    public void A_full_burst_only_when_there_was_no_activation_before_or_the_last_one_ended_cleanly_a_window_ago()
    {
        var now = T0.AddHours(1);
        Assert.False(WriteBudget.StartsEmpty(null, null, now)); // the first ever
        Assert.False(WriteBudget.StartsEmpty(T0, now.AddMinutes(-6), now)); // ended cleanly 6 minutes ago
        Assert.True(WriteBudget.StartsEmpty(T0, now.AddMinutes(-2), now)); // ended 2 minutes ago: it may have spent in this window
        Assert.True(WriteBudget.StartsEmpty(now.AddMinutes(-1), null, now)); // started a minute ago, never said it ended
        Assert.True(WriteBudget.StartsEmpty(T0, null, now)); // started an hour ago, may have lived until now (a crash)
        Assert.True(WriteBudget.StartsEmpty(now.AddMinutes(-1), now.AddMinutes(-30), now)); // that end is of an older activation
        var budget = new WriteBudget(1000, now, empty: true);
        Assert.True(budget.TryTake(now) > TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, budget.TryTake(now.AddSeconds(1)));
    }

    [Fact]
    public void Placement_takes_its_limits_from_the_options()
    {
        var placement = new LoadBalancerPlacement();
        Assert.Equal((false, 1), placement.Assign("c/ns/a", false, 1, maxFrontends: 2, maxRules: 10).Now);
        Assert.Equal((false, 1), placement.Assign("c/ns/b", false, 1, maxFrontends: 2, maxRules: 10).Now);
        Assert.Equal((false, 2), placement.Assign("c/ns/c", false, 1, maxFrontends: 2, maxRules: 10).Now);
        Assert.Equal((false, 3), placement.Assign("c/ns/d", false, 10, maxFrontends: 2, maxRules: 10).Now); // its 10 rules fit on no LB used so far
        Assert.Equal((false, 4), placement.Assign("c/ns/e", false, 11, maxFrontends: 2, maxRules: 10).Now); // more than any LB takes: one of its own
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
